import { FakeClock } from '../support/fake-clock.js';
import { storedHistory } from '../integration/support/gateway.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from '../integration/support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from '../integration/support/gateway.js';

const DEVICE = 'quiet-dev';
const OUTAGE_EVENTS = 40;

describe('a reconnect on a partition that delivered nothing since the open keeps the open position', () => {
  let emulator: Emulator | undefined;
  let gw: RunningGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    await emulator?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
    emulator = undefined;
  });

  /**
   * Drops the AMQP connection and enqueues `OUTAGE_EVENTS` events in the same tick (the emulator enqueues in process),
   * so every one of them lands while the SDK has no receiver link; then a marker once the links are back.
   * @returns the sequence numbers sent, in order.
   */
  async function outageThenMarker(em: Emulator, running: RunningGateway): Promise<number[]> {
    await eventually(() => expect(running.app.registry.get(DEVICE)?.status).toBe('registered'));
    await eventually(() => expect(em.stats().receivers).toHaveLength(em.partitionIds.length));
    const sent: number[] = [];
    em.faults.disconnect();
    expect(em.stats().receivers).toHaveLength(0);
    for (let i = 0; i < OUTAGE_EVENTS; i += 1) sent.push((await em.send(DEVICE, JSON.stringify({ i }))).sequenceNumber);
    expect(em.stats().receivers).toHaveLength(0);
    await eventually(() => expect(em.stats().receivers).toHaveLength(em.partitionIds.length), { timeoutMs: 15_000 });
    await eventually(() => expect(running.app.registry.get(DEVICE)?.status).toBe('registered'));
    sent.push((await em.send(DEVICE, JSON.stringify({ i: OUTAGE_EVENTS }))).sequenceNumber);
    await eventually(async () => expect((await running.app.store.latest(DEVICE))?.sequenceNumber).toBe(sent.at(-1)));
    return sent;
  }

  it('stores every event enqueued during the outage exactly once (first open at latest)', async () => {
    emulator = await startEmulator();
    for (let i = 0; i < 3; i += 1) await emulator.send(DEVICE, JSON.stringify({ old: i }));
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, defaultDeviceId: DEVICE }));
    const sent = await outageThenMarker(emulator, gw);
    expect(sent).toEqual(Array.from({ length: OUTAGE_EVENTS + 1 }, (_, i) => i + 3));
    expect((await storedHistory(gw.app, DEVICE)).map((m) => m.sequenceNumber)).toEqual(sent);
  });

  it('an empty partition: the first events after the open are kept across the outage', async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, defaultDeviceId: DEVICE }));
    const sent = await outageThenMarker(emulator, gw);
    expect(sent).toEqual(Array.from({ length: OUTAGE_EVENTS + 1 }, (_, i) => i));
    expect((await storedHistory(gw.app, DEVICE)).map((m) => m.sequenceNumber)).toEqual(sent);
  });

  it('the same after a reopen at latest that follows inactivity', async () => {
    emulator = await startEmulator();
    const clock = new FakeClock(Date.now());
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, defaultDeviceId: DEVICE, inactivityTimeoutS: 1 }), { clock });
    await eventually(() => expect(emulator?.stats().connections).toBe(1));
    clock.advance(1_500);
    expect(gw.app.registry.get(DEVICE)?.status).toBe('inactive');
    await eventually(() => expect(emulator?.stats().connections).toBe(0));
    const missed = await emulator.send(DEVICE, JSON.stringify({ missed: true }));
    // The clock stands still from here: the device stays active while the test runs.
    expect((await json(gw.api(`/api/telemetry?deviceId=${DEVICE}`))).status).toBe(200);
    const sent = await outageThenMarker(emulator, gw);
    expect(sent[0]).toBe(missed.sequenceNumber + 1);
    expect((await storedHistory(gw.app, DEVICE)).map((m) => m.sequenceNumber)).toEqual(sent);
  });
});
