import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pipeToLog } from './child-log.js';
import type { ChildUsage, IpcReady, IpcReply } from './ipc-protocol.js';
import { sampleProcess, type ProcSample } from './proc-stats.js';
import { REPO_ROOT } from './repo-root.js';

/** How to start a bench child. */
export interface BenchChildOptions {
  /** Name used in logs and results, e.g. `emulator`, `gateway`, `ws-load-1`. */
  name: string;
  /** Script path relative to the repository root, run with `node --import tsx` (or plain `node`, see `tsx`). */
  script: string;
  /** Load tsx for the whole process (default true); false for compiled JS such as the gateway's `dist/server.js`. */
  tsx?: boolean;
  /** Extra environment variables (added to the runner's). */
  env?: Record<string, string>;
  /** Extra `node` flags, e.g. `--expose-gc`, `--cpu-prof`. */
  nodeFlags?: string[];
  /** Directory for `<name>.log` (stdout and stderr of the child). */
  logDir: string;
  /** Longest wait for `{ ready }`, in MILLISECONDS (default 60,000). */
  readyTimeoutMs?: number;
  /** Texts replaced by `<redacted>` in the log file (e.g. the API key the gateway prints in its banner). */
  redact?: string[];
  /** Wait for an IPC `{ ready }` message (default true); false for the gateway, which the runner polls over HTTP. */
  waitForReady?: boolean;
}

/**
 * A child process of the bench, started with `child_process.fork` (`node --import tsx <script>`) so it has an IPC
 * channel; stdout and stderr go to `<logDir>/<name>.log`. CPU and memory come from `/proc/<pid>` (proc-stats.ts).
 */
export class BenchChild {
  /** Children not yet exited, so the runner can kill them all if it is interrupted. */
  private static readonly running = new Set<BenchChild>();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  /** What the child sent with `{ ready }` (ports, URLs); `undefined` until then or when not waited for. */
  info: unknown;
  readonly logFile: string;

  private constructor(readonly name: string, readonly process: ChildProcess, logDir: string, redact: string[]) {
    this.logFile = join(logDir, `${name}.log`);
    pipeToLog([process.stdout, process.stderr], this.logFile, redact);
    BenchChild.running.add(this);
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => {
      BenchChild.running.delete(this);
      this.exitCode = code;
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (code ${code}); see ${this.logFile}`));
      this.pending.clear();
    });
    process.on('message', (message: unknown) => {
      const reply = message as IpcReply;
      const waiter = typeof reply.id === 'number' ? this.pending.get(reply.id) : undefined;
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`${name} ${reply.error ?? 'failed'}`));
    });
  }

  /**
   * Kills every child still running with SIGKILL (synchronous; for the runner's `exit` and signal handlers: a child
   * whose output pipe is gone may not shut down by itself).
   */
  static killAll(): void {
    for (const child of BenchChild.running) child.process.kill('SIGKILL');
  }

  /**
   * Starts the child and, unless `waitForReady` is false, waits for its `{ ready, info }` message.
   * @throws Error when the child exits or is not ready within `readyTimeoutMs`.
   */
  static async start(options: BenchChildOptions): Promise<BenchChild> {
    const child = fork(join(REPO_ROOT, options.script), [], {
      cwd: REPO_ROOT,
      execArgv: [...(options.tsx === false ? [] : ['--import', 'tsx']), ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const handle = new BenchChild(options.name, child, options.logDir, options.redact ?? []);
    if (options.waitForReady === false) return handle;
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    handle.info = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.name} not ready in ${timeoutMs} ms; see ${handle.logFile}`)), timeoutMs);
      child.on('message', (m: unknown) => {
        if ((m as IpcReady).ready === true) {
          clearTimeout(timer);
          resolve((m as IpcReady).info);
        }
      });
      void handle.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited (code ${code}) before ready; see ${handle.logFile}`));
      });
    });
    return handle;
  }

  /** The child's process ID. @throws Error when it has none (failed to spawn). */
  get pid(): number {
    if (this.process.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.process.pid;
  }

  /**
   * Sends a command and waits for its answer.
   * @throws Error with the child's error message, on exit, or after `timeoutMs` MILLISECONDS (default 120,000).
   */
  request<T>(cmd: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.exitCode !== undefined) return reject(new Error(`${this.name} has exited; see ${this.logFile}`));
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} did not answer ${cmd} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as T); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.process.send({ id, cmd, args });
    });
  }

  /** Memory (after GC with `--expose-gc`) and CPU as the child itself reports them. */
  usage(): Promise<ChildUsage> {
    return this.request<ChildUsage>('usage');
  }

  /** CPU time and RSS from `/proc`; `undefined` once the process is gone. */
  sample(): ProcSample | undefined {
    return this.process.pid === undefined ? undefined : sampleProcess(this.process.pid);
  }

  /**
   * Stops the child: the `exit` command when `graceful` is 'ipc' (default), SIGTERM when 'signal'; SIGKILL after
   * `timeoutMs` MILLISECONDS (default 10,000). Idempotent; never throws.
   */
  async stop(graceful: 'ipc' | 'signal' = 'ipc', timeoutMs = 10_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    if (graceful === 'ipc' && this.process.connected) this.request('exit', undefined, timeoutMs).catch(() => undefined);
    else this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
