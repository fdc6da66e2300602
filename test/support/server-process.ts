import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';

/** A real server started by a test helper: its process ID, what it wrote, and a stop that cleans up. */
export interface ServerProcess {
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  /** SIGKILL, waits for the exit, runs `beforeCleanup`, removes `dir` (idempotent). */
  stop: () => Promise<void>;
}

/** What {@link startServerProcess} runs and how it knows the server is ready. */
export interface ServerProcessOptions {
  /** Name used in the error message, e.g. `redis-server`. */
  name: string;
  command: string;
  args: readonly string[];
  /** A temporary directory the server owns: removed by `stop`. */
  dir: string;
  cwd?: string;
  /** One readiness probe (a PING, an HTTP request, a log line): resolves true once the server serves. */
  ready(): Promise<boolean>;
  /** Longest wait for readiness, ms. */
  timeoutMs: number;
  /** Pause between probes, ms (default 50). */
  pollMs?: number;
  /** Called by `stop` after the exit and before `dir` is removed (e.g. a last read of a log file). */
  beforeCleanup?(): void;
}

/**
 * Spawns a server child process, probes `ready` until it answers (at most `timeoutMs` ms, every `pollMs` ms) and
 * returns it.
 * @throws Error naming the server, the wait and its output when it exits or is not ready in time (it is stopped).
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(options.command, [...options.args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.once('error', (error) => (output += `\nspawn failed: ${error.message}`));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
      options.beforeCleanup?.();
      rmSync(options.dir, { recursive: true, force: true });
    })());
  const deadline = Date.now() + options.timeoutMs;
  while (!(await options.ready())) {
    if (child.exitCode !== null || child.pid === undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} was not ready within ${options.timeoutMs} ms: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
  const pid = child.pid as number; // set: the loop above stops on a spawn without one
  return { pid, output: () => output, stop };
}
