import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { eventually } from '../../integration/support/eventually.js';
import { TEST_API_KEY } from '../../integration/support/gateway.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** A gateway child process (`src/server.ts` under tsx) once its banner printed its URL. */
export interface GatewayChild {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  url: string;
  output: () => string;
  /** GET `path` with the test API key; resolves with the status and the parsed JSON body. */
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  /** Sends `signal` (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `src/server.ts` with `PORT=0`, the test API key, `LOG_LEVEL=warn` and `env` (no connection string: demo
 * mode), and waits (at most 30 s) for the banner.
 */
export async function startGatewayChild(env: Record<string, string>): Promise<GatewayChild> {
  const fullEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', API_KEY: TEST_API_KEY, LOG_LEVEL: 'warn', ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  try {
    const url = await eventually(() => {
      const found = /URL:\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (!found) throw new Error(`no banner yet: ${output}`);
      return found;
    }, { timeoutMs: 30_000 });
    const get = async <T>(path: string) => {
      const response = await fetch(`${url}${path}`, { headers: { 'X-API-Key': TEST_API_KEY } });
      return { status: response.status, body: (await response.json()) as T };
    };
    return { child, url, output: () => output, get, kill };
  } catch (error) {
    await kill();
    throw error;
  }
}
