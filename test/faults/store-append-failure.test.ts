import { afterEach, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MemoryTelemetryStore } from '../../src/store/memory-telemetry-store.js';
import { eventually } from '../integration/support/eventually.js';
import { json, removeDir, startGateway, storedHistory, testConfig, type RunningGateway } from '../integration/support/gateway.js';

const DEVICE = 'append-fails-once';

let emulator: Emulator | undefined;
let gw: RunningGateway | undefined;
afterEach(async () => {
  await gw?.close();
  if (gw) removeDir(gw.config.stateDir);
  await emulator?.close();
  gw = undefined;
  emulator = undefined;
});

it('a batch the store did not take is read again from the checkpoint: nothing skipped, nothing stored twice', async () => {
  emulator = await startEmulator({ partitions: 1 });
  const store = new MemoryTelemetryStore(1000);
  const append = store.append.bind(store);
  let failures = 0;
  store.append = (messages, checkpoints) => {
    // The first batch holding the device's messages fails, as a store whose server timed out would.
    if (failures === 0 && messages.some((m) => m.deviceId === DEVICE)) {
      failures += 1;
      return Promise.reject(new Error('store unavailable'));
    }
    return append(messages, checkpoints);
  };
  const config = testConfig({ connectionString: emulator.connectionString, defaultDeviceId: DEVICE, partitionClaimIntervalS: 1 });
  gw = await startGateway(config, { store });
  await eventually(async () => expect((await json(fetch(`${gw!.url}/readyz`))).body.hubState).toBe('connected'));

  const sent: number[] = [];
  for (let i = 0; i < 5; i += 1) sent.push((await emulator.send(DEVICE, JSON.stringify({ i }))).sequenceNumber);
  await eventually(async () => expect((await storedHistory(gw!.app, DEVICE)).map((m) => m.sequenceNumber)).toEqual(sent), { timeoutMs: 15_000 });
  for (let i = 0; i < 3; i += 1) sent.push((await emulator.send(DEVICE, JSON.stringify({ i: 5 + i }))).sequenceNumber);
  await eventually(async () => expect((await storedHistory(gw!.app, DEVICE)).map((m) => m.sequenceNumber)).toEqual(sent), { timeoutMs: 15_000 });

  expect(failures).toBe(1);
  const lines = gw.lines.filter((l) => l.includes('the store did not take the batch of partition 0'));
  expect(lines, gw.lines.filter((l) => l.includes('"level":50') || l.includes('"level":40')).join('\n')).toHaveLength(1);
});
