import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/config/clock.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MemoryTelemetryStore } from '../../src/store/memory-telemetry-store.js';
import { FakeClock } from '../support/fake-clock.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';

const DEVICE = 'rules-dev';

/** A memory store that records the sequence number of every message the gateway hands to `append` (before dedupe). */
function recordingStore(clock: Clock): { store: MemoryTelemetryStore; appended: number[] } {
  const store = new MemoryTelemetryStore(1000, clock);
  const appended: number[] = [];
  const append = store.append.bind(store);
  store.append = (messages, checkpoints) => {
    appended.push(...messages.filter((m) => m.deviceId === DEVICE).map((m) => m.sequenceNumber));
    return append(messages, checkpoints);
  };
  return { store, appended };
}

describe('start position rules', () => {
  let emulator: Emulator | undefined;
  const gateways: RunningGateway[] = [];
  afterEach(async () => {
    for (const gw of gateways.splice(0)) {
      await gw.close();
      removeDir(gw.config.stateDir);
    }
    await emulator?.close();
    emulator = undefined;
  });

  async function send(count: number): Promise<number[]> {
    const sent: number[] = [];
    for (let i = 0; i < count; i += 1) sent.push((await emulator!.send(DEVICE, JSON.stringify({ i }))).sequenceNumber);
    return sent;
  }

  async function stored(gw: RunningGateway, sequenceNumber: number | undefined): Promise<void> {
    await eventually(async () => expect((await gw.app.store.latest(DEVICE))?.sequenceNumber).toBe(sequenceNumber));
  }

  async function start(store: MemoryTelemetryStore, startPosition: 'earliest' | 'latest', clock: Clock = systemClock, inactivityTimeoutS = 3600): Promise<RunningGateway> {
    const config = testConfig({ connectionString: emulator!.connectionString, defaultDeviceId: DEVICE, startPosition, inactivityTimeoutS });
    const gw = await startGateway(config, { store, clock });
    gateways.push(gw);
    await eventually(async () => expect((await json(fetch(`${gw.url}/readyz`))).body.hubState).toBe('connected'));
    return gw;
  }

  it.each(['earliest', 'latest'] as const)(
    'after a shutdown while watched, START_POSITION=%s: the next app on the store resumes right after the checkpoint',
    async (startPosition) => {
      emulator = await startEmulator();
      const { store, appended } = recordingStore(systemClock);
      const before = await send(2);
      const first = await start(store, startPosition);
      const read = [...before, ...(await send(3))];
      await stored(first, 4);
      await first.close();
      expect(appended).toEqual(startPosition === 'earliest' ? [0, 1, 2, 3, 4] : [2, 3, 4]);
      // The checkpoint sits in the middle of the partition: earliest would replay 0..4, latest would skip 5..9.
      const downtime = await send(5);
      expect(downtime).toEqual([5, 6, 7, 8, 9]);
      appended.length = 0;
      const second = await start(store, startPosition);
      const after = await send(2);
      await stored(second, 11);
      expect(read).toEqual([0, 1, 2, 3, 4]);
      expect(appended).toEqual([5, 6, 7, 8, 9, 10, 11]);
      expect(after).toEqual([10, 11]);
    },
  );

  it('after an idle close (no device watched) the reopen skips what was sent while closed, even with START_POSITION=earliest', async () => {
    emulator = await startEmulator();
    const clock = new FakeClock(Date.now());
    const { store, appended } = recordingStore(clock);
    await send(2);
    const gw = await start(store, 'earliest', clock, 1);
    await send(1);
    await stored(gw, 2);
    clock.advance(1_500);
    expect(gw.app.registry.get(DEVICE)?.status).toBe('inactive');
    await eventually(() => expect(emulator?.stats().connections).toBe(0));
    expect(await send(3)).toEqual([3, 4, 5]);
    // A query watches the device again; the clock stands still from here, so it stays watched.
    expect((await json(gw.api(`/api/telemetry?deviceId=${DEVICE}`))).status).toBe(200);
    await eventually(async () => expect((await json(fetch(`${gw.url}/readyz`))).body.hubState).toBe('connected'));
    expect(await send(3)).toEqual([6, 7, 8]);
    await stored(gw, 8);
    expect(appended).toEqual([0, 1, 2, 6, 7, 8]);
  });
});
