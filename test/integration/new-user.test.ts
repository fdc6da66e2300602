import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { removeDir, tempStateDir } from './support/gateway.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/** Every data row of data/*.csv as the set of its numeric fields. */
function dataRows(): number[][] {
  const rows: number[][] = [];
  for (const file of readdirSync(join(ROOT, 'data')).filter((f) => f.endsWith('.csv'))) {
    for (const line of readFileSync(join(ROOT, 'data', file), 'utf8').split('\n').slice(1)) {
      const numbers = line.split(',').filter((f) => /^-?\d+(\.\d+)?$/.test(f)).map(Number);
      if (numbers.length > 0) rows.push(numbers);
    }
  }
  return rows;
}

/** Numeric leaves of a JSON value. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe("a new user's path: npm start with nothing configured", () => {
  let child: ChildProcess;
  let stateDir: string;
  let stdout = '';
  beforeAll(async () => {
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
    stateDir = tempStateDir();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, STATE_DIR: join(stateDir, 'state'), PORT: '0' };
    child = spawn(process.execPath, [join(ROOT, 'dist/server.js')], { cwd: stateDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  }, 120_000);
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    removeDir(stateDir);
  });

  it('prints a banner whose curl line works twice with different timestamps and real data', async () => {
    const line = await eventually(() => {
      const found = /^\s*(curl -s .*)$/m.exec(stdout)?.[1];
      expect(found).toBeDefined();
      return found as string;
    }, { timeoutMs: 20_000 });
    expect(stdout).toMatch(/local IoT hub emulator/);
    const key = /API key: ([A-Za-z0-9]{24})/.exec(stdout)?.[1] ?? '';
    expect(key).toHaveLength(24);
    expect(stdout.split(key).length - 1).toBe(2); // the banner's key line and its curl line, nowhere else
    const curl = async () => JSON.parse((await run('sh', ['-c', line])).stdout) as Record<string, unknown>;
    const first = await eventually(async () => {
      const body = await curl();
      expect(body.timestamp).not.toBeNull();
      expect(body.isConnected).toBe(true);
      return body;
    }, { timeoutMs: 20_000 });
    const second = await eventually(async () => {
      const body = await curl();
      expect(body.timestamp).not.toBe(first.timestamp);
      return body;
    }, { timeoutMs: 20_000, intervalMs: 1000 });
    const rows = dataRows();
    for (const body of [first, second]) {
      expect(body).toMatchObject({ deviceId: 'household-meter-01', isConnected: true });
      const values = numbersIn(Object.fromEntries(Object.entries(body).filter(([k]) => !['deviceId', 'timestamp', 'isConnected'].includes(k))));
      expect(values.length).toBeGreaterThan(0);
      expect(rows.some((row) => values.every((v) => row.includes(v)))).toBe(true);
    }

    // The demo's devices carry the simulator's units, and the device curl line sends as printed.
    const devices = JSON.parse((await run('sh', ['-c', line.replace(/'http[^']*'$/, `'${/URL:\s+(\S+)/.exec(stdout)?.[1]}/api/devices'`)])).stdout) as {
      devices: { deviceId: string; units: Record<string, string> }[];
    };
    const meter = { voltage: 'V', current: 'A', activePower: 'kW', reactivePower: 'kW' };
    expect(devices.devices.map((d) => [d.deviceId, d.units])).toEqual([
      ['household-meter-01', meter], ['household-meter-02', meter], ['household-meter-03', meter], ['feeder-01', { voltages: 'V' }],
    ]);
    expect(stdout).toContain(`(generated now and stored in ${join(stateDir, 'state', 'api-key')})`);
    const send = /^\s*(curl -s -X POST -H 'iothub-contenttype.*)$/m.exec(stdout)?.[1] ?? '';
    expect(send).toMatch(/'http:\/\/127\.0\.0\.1:\d+\/devices\/household-meter-01\/messages\/events'$/);
    expect((await run('sh', ['-c', `${send} -o /dev/null -w '%{http_code}'`])).stdout).toBe('204');
    const history = line.replace('/api/telemetry?deviceId=household-meter-01', '/api/devices/household-meter-01/telemetry?limit=50');
    await eventually(async () => {
      const { items } = JSON.parse((await run('sh', ['-c', history])).stdout) as { items: { body: { voltage?: number; current?: number } }[] };
      expect(items.some((m) => m.body.voltage === 231.5 && m.body.current === 4.2)).toBe(true);
    }, { timeoutMs: 10_000, intervalMs: 200 });

    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(stdout).toMatch(/SIGTERM: shutting down/);
  });

  it('stops with the explanation when given a device connection string, without echoing the key', async () => {
    const key = Buffer.from('this-is-a-secret-key-value').toString('base64');
    const env = { PATH: process.env.PATH, STATE_DIR: join(stateDir, 'state2'), PORT: '0', EVENTHUB_CONNECTION_STRING: `HostName=myhub.azure-devices.net;DeviceId=thermo-1;SharedAccessKey=${key}` };
    const result = await run(process.execPath, [join(ROOT, 'dist/server.js')], { cwd: stateDir, env }).then(
      () => ({ code: 0, stderr: '', stdout: '' }),
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Configuration error: This is a device connection string \(DeviceId=\.\.\.\).*Shared access policies → service.*--policy-name service/);
    expect(result.stderr + result.stdout).not.toContain(key);
  });
});
