import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { removeDir, tempStateDir, TEST_API_KEY } from '../integration/support/gateway.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('a gateway whose stdout reader died', () => {
  let emulator: Emulator;
  let child: ChildProcess;
  let stateDir: string;
  let stderr = '';
  let url: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    stateDir = tempStateDir();
    // LOG_LEVEL=info: two log lines per request, so every request below writes to the dead pipe.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, EVENTHUB_CONNECTION_STRING: emulator.connectionString, DEVICE_ID: 'dev-1',
        API_KEY: TEST_API_KEY, PORT: '0', HOST: '127.0.0.1', STATE_DIR: join(stateDir, 'state'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /URL:\s+(http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolveUrl(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${stderr}`)));
    });
    child.stdout?.destroy(); // the reader is gone: the child's next writes to stdout fail with EPIPE
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    await emulator?.close();
    if (stateDir) removeDir(stateDir);
  });

  it('still serves REST, then stops on SIGTERM with exit code 0', async () => {
    for (let i = 0; i < 50; i += 1) {
      const r = await fetch(`${url}/api/devices`, { headers: { 'x-api-key': TEST_API_KEY } });
      expect(r.status, `request ${i}`).toBe(200);
      expect(((await r.json()) as { devices: Array<{ deviceId: string }> }).devices.map((d) => d.deviceId)).toEqual(['dev-1']);
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(child.exitCode).toBeNull();

    const exit = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    child.kill('SIGTERM');
    const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit 15 s after SIGTERM; stderr: ${stderr}`)), 15_000).unref());
    expect(await Promise.race([exit, deadline])).toEqual({ code: 0, signal: null });
  }, 60_000);
});
