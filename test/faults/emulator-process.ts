import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { eventually } from '../emulator/helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** An emulator CLI child process (`npm run emulator`), once it printed its connection string and HTTP port. */
export interface EmulatorProcess {
  child: ChildProcessWithoutNullStreams;
  connectionString: string;
  /** `http://127.0.0.1:<device API port>`. */
  base: string;
  output: { stdout: string; stderr: string };
  /** Sends SIGKILL and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `src/emulator/cli.ts` with free ports and `args`; with `fileSizeKiB`, under `ulimit -f` (bash, KiB), so
 * writes to a regular file beyond that size fail with EFBIG (Node ignores SIGXFSZ).
 */
export async function startEmulatorProcess(args: string[], fileSizeKiB?: number): Promise<EmulatorProcess> {
  const node = [process.execPath, '--import', 'tsx', 'src/emulator/cli.ts', '--amqp-port', '0', '--http-port', '0', ...args];
  const child = fileSizeKiB === undefined
    ? spawn(node[0] as string, node.slice(1), { cwd: root })
    : spawn('bash', ['-c', `ulimit -f ${fileSizeKiB} && exec "$@"`, 'bash', ...node], { cwd: root });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  try {
    return await eventually(() => {
      const connection = /^EVENTHUB_CONNECTION_STRING=(.+)$/m.exec(output.stdout);
      const port = /Device API: POST http:\/\/127\.0\.0\.1:(\d+)\//.exec(output.stdout);
      expect(connection && port, `emulator output: ${output.stdout}${output.stderr}`).toBeTruthy();
      return { child, connectionString: connection?.[1] as string, base: `http://127.0.0.1:${port?.[1]}`, output, kill };
    }, { timeoutMs: 20_000, intervalMs: 50 });
  } catch (error) {
    await kill();
    throw error;
  }
}
