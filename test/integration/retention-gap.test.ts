import type { Checkpoint } from '@azure/event-hubs';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MemoryTelemetryStore } from '../../src/store/memory-telemetry-store.js';
import { WsClient } from './live-clients.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';
import { logMessages, metric, register } from './support/helpers.js';

const DEVICE = 'gap-dev';

/** A memory store that records what the gateway hands to `append`: the device's sequence numbers, the checkpoints. */
function recordingStore(): { store: MemoryTelemetryStore; appended: number[]; checkpoints: Checkpoint[] } {
  const store = new MemoryTelemetryStore(1000);
  const appended: number[] = [];
  const checkpoints: Checkpoint[] = [];
  const append = store.append.bind(store);
  store.append = (messages, batchCheckpoints) => {
    appended.push(...messages.filter((m) => m.deviceId === DEVICE).map((m) => m.sequenceNumber));
    checkpoints.push(...batchCheckpoints);
    return append(messages, batchCheckpoints);
  };
  return { store, appended, checkpoints };
}

describe('a checkpoint older than the hub retention', () => {
  let emulator: Emulator | undefined;
  const gateways: RunningGateway[] = [];
  let client: WsClient | undefined;
  afterEach(async () => {
    client?.close();
    for (const gw of gateways.splice(0)) {
      await gw.close();
      removeDir(gw.config.stateDir);
    }
    await emulator?.close();
    emulator = undefined;
  });

  const send = async (count: number): Promise<number[]> => {
    const sent: number[] = [];
    for (let i = 0; i < count; i += 1) sent.push((await emulator!.send(DEVICE, JSON.stringify({ i }))).sequenceNumber);
    return sent;
  };

  it('resumes at the earliest retained event, counts the gap in /metrics, logs it and pushes it to live clients', async () => {
    emulator = await startEmulator({ retention: { maxEventsPerPartition: 5 } });
    const partition = emulator.partitionOf(DEVICE);
    const first = recordingStore();
    const gw1 = await startGateway(testConfig({ connectionString: emulator.connectionString, defaultDeviceId: DEVICE }), { store: first.store });
    gateways.push(gw1);
    await eventually(async () => expect((await json(fetch(`${gw1.url}/readyz`))).body.hubState).toBe('connected'));
    expect(await send(3)).toEqual([0, 1, 2]);
    await eventually(async () => expect((await first.store.latest(DEVICE))?.sequenceNumber).toBe(2));
    await gw1.close();
    // While no gateway reads, 10 more events: the partition keeps 8..12, so 3..7 are gone.
    expect(await send(10)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(emulator.stats().partitions.find((p) => p.partitionId === partition)?.beginSequenceNumber).toBe(8);

    // A gateway whose store holds that checkpoint and no registration: nothing is read until a device is registered.
    const second = recordingStore();
    second.store.checkpointStore.record(first.checkpoints);
    const gw2 = await startGateway(testConfig({ connectionString: emulator.connectionString }), { store: second.store });
    gateways.push(gw2);
    expect(await metric(gw2, `gateway_hub_retention_gap_events_total{partition="${partition}"}`)).toBeNaN();
    client = await WsClient.connect(`${gw2.url.replace('http', 'ws')}/api/ws?api_key=${TEST_API_KEY}`);
    await client.roundTrip();
    expect((await register(gw2, DEVICE)).status).toBe(202);
    const reason = `retention_gap: partition ${partition} resumed at sequence number 8, its checkpoint was at 2: 5 events were past the hub's retention and are lost`;
    const pushed = await client.waitFor((m) => m.type === 'status' && m.deviceId === undefined && String(m.reason).startsWith('retention_gap'));
    expect(pushed).toEqual({ type: 'status', status: 'connecting', isConnected: false, reason });
    await eventually(async () => expect((await json(fetch(`${gw2.url}/readyz`))).body).toEqual({ status: 'ready', hubState: 'connected', reason: null }));
    expect(await send(1)).toEqual([13]);
    await eventually(async () => expect((await second.store.latest(DEVICE))?.sequenceNumber).toBe(13));
    expect(second.appended).toEqual([8, 9, 10, 11, 12, 13]);
    expect(await metric(gw2, `gateway_hub_retention_gap_events_total{partition="${partition}"}`)).toBe(5);
    const warnings = gw2.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40);
    expect(warnings.map((l) => l.msg)).toEqual([`hub consumer ${reason}`]);
    expect(logMessages(gw2).filter((m) => m.includes('retention_gap'))).toHaveLength(1);
  }, 30_000);
});
