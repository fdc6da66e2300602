import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, tempStateDir } from '../integration/support/gateway.js';
import { counterSender } from './support/counter-sender.js';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';
import { startGatewayChild, type GatewayChild } from './support/server-child.js';

const RATE_PER_S = 200;
const DEVICES = Array.from({ length: 20 }, (_, i) => `crash-device-${String(i).padStart(2, '0')}`);
/** Sent to only before the crash, so its latest right after the restart is exactly its pre-crash one. */
const QUIET = 'crash-quiet';
const OUTAGE_MS = 5_000;

interface History {
  items: { body: { seq: number } }[];
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('kill -9 of the gateway at 200 msg/s over 20 devices, restarted after 5 s', () => {
  let emulator: EmulatorProcess | undefined;
  let gateway: GatewayChild | undefined;
  let stateDir = '';
  afterEach(async () => {
    await gateway?.kill();
    await emulator?.kill();
    removeDir(stateDir);
  });

  /** Runs the scenario; returns the gateway restarted after the crash, what it answered at once, and the sender. */
  async function crashAndRestart(env: Record<string, string>) {
    emulator = await startEmulatorProcess([]);
    stateDir = tempStateDir();
    const registeredAt = new Date().toISOString();
    const devices = [QUIET, ...DEVICES].map((deviceId) => ({ deviceId, registeredAt }));
    await writeFile(join(stateDir, 'registrations.json'), JSON.stringify({ devices }));
    const fullEnv = { EVENTHUB_CONNECTION_STRING: emulator.connectionString, STATE_DIR: stateDir, INACTIVITY_TIMEOUT: '0', ...env };
    gateway = await startGatewayChild(fullEnv);
    await eventually(async () => expect((await gateway!.get<{ hubState: string }>('/readyz')).body.hubState).toBe('connected'), { timeoutMs: 20_000 });

    const quiet = counterSender(emulator.base, [QUIET]);
    quiet.start(20);
    await sleep(250);
    await quiet.stop();
    await eventually(async () => expect((await gateway!.get<{ seq?: number }>(`/api/telemetry?deviceId=${QUIET}`)).body.seq).toBe(quiet.sent(QUIET) - 1), { timeoutMs: 10_000 });

    const sender = counterSender(emulator.base, DEVICES);
    sender.start(RATE_PER_S);
    await sleep(2_000);
    await gateway.kill('SIGKILL');
    const sentBeforeCrash = new Map(DEVICES.map((id) => [id, sender.sent(id)]));
    await sleep(OUTAGE_MS);
    const sentBeforeRestart = new Map(DEVICES.map((id) => [id, sender.sent(id)]));
    gateway = await startGatewayChild(fullEnv);
    const quietLatest = (await gateway.get<{ seq?: number; timestamp: string | null }>(`/api/telemetry?deviceId=${QUIET}`)).body;
    const listed = (await gateway.get<{ devices: { deviceId: string }[] }>('/api/devices')).body.devices.map((d) => d.deviceId);
    await sleep(2_000);
    await sender.stop();
    return { gateway, sender, quiet, quietLatest, listed, sentBeforeCrash, sentBeforeRestart };
  }

  const history = async (g: GatewayChild, deviceId: string) =>
    (await g.get<History>(`/api/devices/${deviceId}/telemetry?limit=1000`)).body.items.map((m) => m.body.seq).reverse();

  it('with STORE=embedded: every counter sent before, during and after the outage is stored exactly once, in order', async () => {
    const run = await crashAndRestart({ STORE: 'embedded', START_POSITION: 'earliest' });
    expect(run.quietLatest.seq).toBe(run.quiet.sent(QUIET) - 1);
    expect(run.listed.sort()).toEqual([QUIET, ...DEVICES].sort());
    expect(Math.min(...DEVICES.map((id) => run.sentBeforeRestart.get(id)! - run.sentBeforeCrash.get(id)!))).toBeGreaterThanOrEqual(40);
    await eventually(async () => {
      for (const deviceId of DEVICES) expect(await history(run.gateway, deviceId)).toEqual(range(run.sender.sent(deviceId)));
    }, { timeoutMs: 15_000, intervalMs: 250 });
    expect(await history(run.gateway, QUIET)).toEqual(range(run.quiet.sent(QUIET)));
  }, 60_000);

  it('with STORE=memory: the history and latest from before the restart, and what was sent while down, are lost', async () => {
    const run = await crashAndRestart({ STORE: 'memory', START_POSITION: 'latest' });
    expect(run.quietLatest).toMatchObject({ timestamp: null });
    expect(run.quietLatest.seq).toBeUndefined();
    expect(run.listed.sort()).toEqual([QUIET, ...DEVICES].sort());
    await eventually(async () => {
      for (const deviceId of DEVICES) expect((await history(run.gateway, deviceId)).at(-1)).toBe(run.sender.sent(deviceId) - 1);
    }, { timeoutMs: 15_000, intervalMs: 250 });
    for (const deviceId of DEVICES) {
      const held = await history(run.gateway, deviceId);
      const first = held[0]!;
      // Nothing sent before the restart is held, and from the first held counter on, each once, in order.
      expect(first).toBeGreaterThanOrEqual(run.sentBeforeRestart.get(deviceId)!);
      expect(held).toEqual(range(run.sender.sent(deviceId)).slice(first));
    }
    expect(await history(run.gateway, QUIET)).toEqual([]);
  }, 60_000);
});
