import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, tempStateDir } from '../integration/support/gateway.js';
import { startGatewayChild, type GatewayChild } from './support/server-child.js';

interface History {
  items: { enqueuedTime: string; sequenceNumber: number }[];
}

describe('demo mode on the embedded store across a restart', () => {
  let stateDir: string;
  let gateway: GatewayChild | undefined;
  afterEach(async () => {
    await gateway?.kill();
    removeDir(stateDir);
  });

  it('receives the new emulator log’s telemetry after a restart, whatever the previous run checkpointed', async () => {
    stateDir = tempStateDir();
    const env = { STATE_DIR: join(stateDir, 'state'), STORE: 'embedded' };
    const latest = async () => (await gateway!.get<History>('/api/devices/household-meter-01/telemetry?limit=1')).body.items[0];
    gateway = await startGatewayChild(env);
    const before = await eventually(async () => {
      const message = await latest();
      expect(message?.sequenceNumber).toBeGreaterThanOrEqual(8);
      return message!;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    await gateway.kill('SIGTERM');

    const restartedAt = new Date().toISOString();
    gateway = await startGatewayChild(env);
    // The new log numbers from 0 again: its events are stored although the previous run stored higher numbers.
    const after = await eventually(async () => {
      const message = await latest();
      expect(message && message.enqueuedTime > restartedAt).toBe(true);
      return message!;
    }, { timeoutMs: 10_000, intervalMs: 200 });
    expect(after.sequenceNumber).toBeLessThan(before.sequenceNumber);
    const history = (await gateway.get<History>('/api/devices/household-meter-01/telemetry?limit=100')).body.items;
    expect(history.every((m) => m.enqueuedTime > restartedAt)).toBe(true);
  }, 60_000);
});
