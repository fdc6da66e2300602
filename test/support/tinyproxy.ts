import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { skipWithoutTool } from './required-tool.js';
import { startServerProcess } from './server-process.js';

/** Debian's `tinyproxy` (installed by `.ci/run`), an HTTP proxy that tunnels with CONNECT. */
const TINYPROXY = '/usr/bin/tinyproxy';

/** Whether a suite that needs a real tinyproxy is skipped (missing here and `REQUIRE_TOOLS` not `1`). */
export const skipWithoutTinyproxy = skipWithoutTool(TINYPROXY, { uses: 'the HTTP proxy tests', install: 'apt-get install tinyproxy' });

/** A real tinyproxy child process on 127.0.0.1 with its own config and log file. */
export interface Tinyproxy {
  port: number;
  /** The process ID (a test may SIGSTOP it: the kernel still accepts connections, nobody answers them). */
  pid: number;
  /** `http://127.0.0.1:<port>`, with `user:password@` when started with `basicAuth`. */
  url: string;
  /** The log file so far (level Info: one `Request (file descriptor N): CONNECT host:port HTTP/1.1` line per tunnel). */
  log(): string;
  /** The `host:port` of every CONNECT request logged, in order. */
  connects(): string[];
  /** SIGKILL, then waits for the exit and removes the directory (idempotent; the log stays readable). */
  stop(): Promise<void>;
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
  });

/**
 * Starts `/usr/bin/tinyproxy -d` (foreground) on a free port of 127.0.0.1 with a generated config in a temporary
 * directory: `Allow 127.0.0.1`, idle `Timeout 600` s, `LogLevel Info` to a file, optionally `BasicAuth` (answers 407
 * without it) and `ConnectPort`s (CONNECT to any other port answered 403; default: every port). Waits (at most
 * `timeoutMs`, default 10 s) for its "Accepting connections" line and a TCP accept.
 * @throws Error with its output and log when it exits or is not ready in time.
 */
export async function startTinyproxy(options: { basicAuth?: { user: string; password: string }; connectPorts?: number[]; timeoutMs?: number } = {}): Promise<Tinyproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyproxy-test-'));
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  const lines = [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 600', `LogFile "${logFile}"`, 'LogLevel Info', 'MaxClients 50', 'Allow 127.0.0.1', 'DisableViaHeader Yes'];
  if (options.basicAuth) lines.push(`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`);
  for (const p of options.connectPorts ?? []) lines.push(`ConnectPort ${p}`);
  writeFileSync(join(dir, 'tinyproxy.conf'), `${lines.join('\n')}\n`);
  let last = '';
  const log = (): string => {
    try {
      last = readFileSync(logFile, 'utf8');
    } catch {
      // Not written yet, or removed after stop: the last read stands.
    }
    return last;
  };
  const server = await startServerProcess({
    name: `tinyproxy on port ${port}`, command: TINYPROXY, args: ['-d', '-c', join(dir, 'tinyproxy.conf')], dir,
    ready: async () => log().includes('Accepting connections') && (await accepts(port)),
    timeoutMs: options.timeoutMs ?? 10_000, beforeCleanup: log,
  });
  const auth = options.basicAuth ? `${encodeURIComponent(options.basicAuth.user)}:${encodeURIComponent(options.basicAuth.password)}@` : '';
  const connects = () => [...log().matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1] as string);
  return { port, pid: server.pid, url: `http://${auth}127.0.0.1:${port}`, log, connects, stop: server.stop };
}
