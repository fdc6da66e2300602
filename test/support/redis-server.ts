import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { skipWithoutTool } from './required-tool.js';
import { startServerProcess } from './server-process.js';

/** Debian's `redis-server` (installed by `.ci/run`). */
const REDIS_SERVER = '/usr/bin/redis-server';

/**
 * Whether a suite that needs a real `redis-server` is skipped: when it is not installed here, unless
 * `REQUIRE_REDIS=1` or `REQUIRE_TOOLS=1` (CI), where its absence fails the suite instead.
 */
export const skipWithoutRedis = skipWithoutTool(REDIS_SERVER, {
  uses: "the Redis engine's tests",
  install: 'apt-get install redis-server',
  requireKey: 'REQUIRE_REDIS',
});

/** Whether Debian's `redis-server` is installed on this machine. */
export const redisServerInstalled = !skipWithoutRedis;

/** A real `redis-server` child process on 127.0.0.1. */
export interface RedisServer {
  port: number;
  /** The server's process ID (a test may SIGSTOP / SIGCONT it to freeze it). */
  pid: number;
  /** `redis://127.0.0.1:<port>` (with `:<password>@` when started with one). */
  url: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL, then waits for the exit and removes the temporary directory (idempotent). */
  stop(): Promise<void>;
}

/** Sends one PING (with AUTH first when `password`); resolves true on `+PONG`, false on anything else. */
function pings(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('+PONG')) done(true);
      else if (reply.includes('-')) done(false);
    });
    const command = (...args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    socket.once('connect', () => socket.write(`${password === undefined ? '' : command('AUTH', password)}${command('PING')}`));
  });
}

/**
 * Starts `/usr/bin/redis-server` on a free port of 127.0.0.1 with no persistence (`--save ''`, `--appendonly no`) in
 * a temporary directory, optionally with `--requirepass`, and waits (at most `timeoutMs`, default 10 s) until it
 * answers PING.
 * @throws Error naming the server's output when it exits or does not answer in time.
 */
export async function startRedisServer(options: { password?: string; timeoutMs?: number } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  const server = await startServerProcess({
    name: `redis-server on port ${port}`, command: REDIS_SERVER, args, dir,
    ready: () => pings(port, options.password), timeoutMs: options.timeoutMs ?? 10_000,
  });
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return { port, pid: server.pid, url: `redis://${auth}127.0.0.1:${port}`, output: server.output, stop: server.stop };
}
