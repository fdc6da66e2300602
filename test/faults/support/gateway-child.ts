import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { eventually } from '../../integration/support/eventually.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** A real gateway process (`src/server.ts` under tsx) and its combined output. */
export interface GatewayChild {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` from the banner. */
  url: string;
  output(): string;
  /** SIGKILL (no shutdown of any kind) and waits for the exit (idempotent). */
  kill(): Promise<void>;
}

/**
 * Starts the gateway as a child process with `STATE_DIR=<stateDir>`, `PORT=0`, `HOST=127.0.0.1` and `env`, and waits
 * (at most `timeoutMs`, default 30 s) for the banner's URL.
 * @throws Error with the output so far when no banner appears in time (the child is killed).
 */
export async function startGatewayChild(stateDir: string, env: Record<string, string>, timeoutMs = 30_000): Promise<GatewayChild> {
  const fullEnv = { PATH: process.env.PATH, HOME: process.env.HOME, STATE_DIR: join(stateDir, 'state'), PORT: '0', HOST: '127.0.0.1', ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server.ts')], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  try {
    const url = await eventually(() => {
      if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${output}`);
      const found = /URL:\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (!found) throw new Error(`no banner yet: ${output}`);
      return found;
    }, { timeoutMs });
    return { child, url, output: () => output, kill };
  } catch (error) {
    await kill();
    throw error;
  }
}
