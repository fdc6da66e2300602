import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Runs a TypeScript entry point with tsx (as `npm run emulator` does) and collects its output. */
function run(file: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, env: { ...process.env, ...env } });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output };
}

async function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('npm run emulator -- --simulate and the example reader', () => {
  it('prints the connection string first, feeds the plain SDK example, and shuts down cleanly on SIGINT', async () => {
    const emulator = run('src/emulator/cli.ts', ['--amqp-port', '0', '--http-port', '0', '--simulate', '--interval-ms', '300']);
    const firstLine = await eventually(() => {
      expect(emulator.output.stdout).toContain('\n');
      return emulator.output.stdout.split('\n')[0] as string;
    }, { timeoutMs: 20_000 });
    expect(firstLine).toMatch(/^EVENTHUB_CONNECTION_STRING=Endpoint=sb:\/\/127\.0\.0\.1:\d+\/;SharedAccessKeyName=[^;]+;SharedAccessKey=[^;]+;EntityPath=iothub-ehub-local;UseDevelopmentEmulator=true$/);
    const connectionString = firstLine.slice('EVENTHUB_CONNECTION_STRING='.length);

    const example = run('examples/read-telemetry.ts', [], { EVENTHUB_CONNECTION_STRING: connectionString });
    await eventually(() => {
      expect(example.output.stdout).toMatch(/household-meter-01 \d+\/\d+ application\/json \{"voltage":[\d.]+,"current":[\d.]+,"activePower"/);
      expect(example.output.stdout).toMatch(/feeder-01 \d+\/\d+ application\/json \{"voltages":\[[\d.]+,[\d.]+,[\d.]+\],"measuredAt":"2020-10-17T17:00:\d\d\.000Z"\}/);
    }, { timeoutMs: 20_000, intervalMs: 100 });
    expect(example.output.stderr).toBe('');

    example.child.kill('SIGINT');
    expect(await exitCode(example.child)).toBe(0);
    emulator.child.kill('SIGINT');
    expect(await exitCode(emulator.child)).toBe(0);
    expect(emulator.output.stdout).toContain('SIGINT: closing the emulator');
  });

  it('prints IOTHUB_CONNECTION_STRING second with --tls, and says the entry needs --tls without it', async () => {
    const tls = run('src/emulator/cli.ts', ['--tls', '--amqp-port', '0', '--http-port', '0']);
    const lines = await eventually(() => {
      const l = tls.output.stdout.split('\n');
      expect(l.length).toBeGreaterThan(2);
      return l;
    }, { timeoutMs: 20_000 });
    const port = /localhost:(\d+)\//.exec(lines[0] as string)?.[1];
    expect(lines[1]).toMatch(new RegExp(`^IOTHUB_CONNECTION_STRING=HostName=localhost:${port};SharedAccessKeyName=iothubowner;SharedAccessKey=[A-Za-z0-9+/]+=*$`));
    tls.child.kill('SIGINT');
    expect(await exitCode(tls.child)).toBe(0);
    const plain = run('src/emulator/cli.ts', ['--amqp-port', '0', '--http-port', '0']);
    await eventually(() => expect(plain.output.stdout.split('\n')[1]).toBe('  (The IoT Hub connection string entry, HostName=..., needs --tls.)'), { timeoutMs: 20_000 });
    plain.child.kill('SIGINT');
    expect(await exitCode(plain.child)).toBe(0);
  });

  it('rejects a bad flag value with exit code 1 and the usage', async () => {
    const bad = run('src/emulator/cli.ts', ['--partitions', 'many']);
    expect(await exitCode(bad.child)).toBe(1);
    expect(bad.output.stderr).toContain('--partitions must be a whole number');
    expect(bad.output.stderr).toContain('Usage: npm run emulator --');
    expect(bad.output.stdout).toBe('');
  });
});
