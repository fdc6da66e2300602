import { EventHubConsumerClient, earliestEventPosition, latestEventPosition, type EventPosition } from '@azure/event-hubs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type SendResult } from '../../src/emulator/index.js';
import { collect, devicePerPartition, eventually, type Collected } from './helpers.js';

let emulator: Emulator;
const open: Collected[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ partitions: 4 });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await emulator.close();
});

function track(c: Collected): Collected {
  open.push(c);
  return c;
}

describe('reading the emulator with the official SDK', () => {
  it('delivers events from every partition with IoT Hub annotations, properties and the exact body bytes', async () => {
    const devices = devicePerPartition(emulator.partitionIds, (id) => emulator.partitionOf(id));
    expect([...devices.keys()].sort()).toEqual(['0', '1', '2', '3']);
    const before = new Map(emulator.stats().partitions.map((p) => [p.partitionId, p.lastEnqueuedSequenceNumber + 1]));
    const reader = track(collect(emulator.connectionString, { startPosition: latestEventPosition }));
    await eventually(() => expect(emulator.stats().receivers).toHaveLength(4));
    const body = Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0x00, 0xff]);
    const sent = new Map<string, SendResult>();
    for (const [partitionId, deviceId] of devices) {
      sent.set(partitionId, await emulator.send(deviceId, body, {
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        messageId: `m-${deviceId}`,
        correlationId: `c-${deviceId}`,
        creationTimeUtc: '2024-01-02T03:04:05.678Z',
        properties: { temperatureAlert: 'true', count: 3, ratio: 0.5, flag: false },
      }));
    }
    const moduleResult = await emulator.send('device-with-module', 'x', { moduleId: 'edge-module' });
    await eventually(() => expect(reader.events).toHaveLength(5));
    expect(reader.errors).toEqual([]);
    for (const [partitionId, deviceId] of devices) {
      const [event] = reader.byPartition.get(partitionId)?.filter((e) => e.systemProperties?.['iothub-connection-device-id'] === deviceId) ?? [];
      const result = sent.get(partitionId) as SendResult;
      expect(result.partitionId).toBe(partitionId);
      expect(result.sequenceNumber).toBe(before.get(partitionId));
      expect(event?.sequenceNumber).toBe(result.sequenceNumber);
      expect(event?.offset).toBe(result.offset);
      expect(event?.enqueuedTimeUtc).toEqual(result.enqueuedTime);
      expect(Buffer.isBuffer(event?.body)).toBe(true);
      expect(Buffer.compare(event?.body as Buffer, body)).toBe(0);
      expect(event?.messageId).toBe(`m-${deviceId}`);
      expect(event?.correlationId).toBe(`c-${deviceId}`);
      expect(event?.contentType).toBe('application/json');
      expect(event?.properties).toEqual({
        temperatureAlert: 'true', count: 3, ratio: 0.5, flag: false, 'iothub-creation-time-utc': '2024-01-02T03:04:05.678Z',
      });
      const system = event?.systemProperties ?? {};
      expect(system['iothub-connection-device-id']).toBe(deviceId);
      expect(system['iothub-connection-module-id']).toBeUndefined();
      expect(JSON.parse(system['iothub-connection-auth-method'] as string)).toEqual({
        scope: 'device', type: 'sas', issuer: 'iothub', acceptingIpFilterRule: null,
      });
      expect(system['iothub-connection-auth-generation-id']).toMatch(/^\d{18}$/);
      expect(system['iothub-enqueuedtime']).toBe(result.enqueuedTime.getTime());
      expect(system['iothub-message-source']).toBe('Telemetry');
      expect(system['contentEncoding']).toBe('utf-8');
    }
    const moduleEvent = reader.events.find((e) => e.systemProperties?.['iothub-connection-device-id'] === 'device-with-module');
    expect(moduleEvent?.systemProperties?.['iothub-connection-module-id']).toBe('edge-module');
    expect(moduleEvent?.sequenceNumber).toBe(moduleResult.sequenceNumber);
    expect(moduleEvent?.properties).toBeUndefined();
  });

  it('reports event hub and partition properties as the service does', async () => {
    const client = new EventHubConsumerClient('$Default', emulator.connectionString);
    try {
      const hub = await client.getEventHubProperties();
      expect(hub.name).toBe('iothub-ehub-local');
      expect(hub.partitionIds).toEqual(['0', '1', '2', '3']);
      const deviceId = 'props-device';
      const partitionId = emulator.partitionOf(deviceId);
      const last = await emulator.send(deviceId, 'p');
      const props = await client.getPartitionProperties(partitionId);
      const stats = emulator.stats().partitions.find((p) => p.partitionId === partitionId);
      expect(props).toEqual({
        eventHubName: 'iothub-ehub-local',
        partitionId,
        beginningSequenceNumber: 0,
        lastEnqueuedSequenceNumber: last.sequenceNumber,
        lastEnqueuedOffset: last.offset,
        lastEnqueuedOnUtc: last.enqueuedTime,
        isEmpty: false,
      });
      expect(stats).toEqual({ partitionId, beginSequenceNumber: 0, lastEnqueuedSequenceNumber: last.sequenceNumber });
    } finally {
      await client.close();
    }
  });
});

describe('start positions', () => {
  const deviceId = 'position-device';
  let partitionId: string;
  let results: SendResult[];

  beforeAll(async () => {
    partitionId = emulator.partitionOf(deviceId);
    results = [];
    for (let i = 0; i < 5; i++) {
      const previous = results.at(-1)?.enqueuedTime.getTime() ?? 0;
      await eventually(() => expect(Date.now()).toBeGreaterThan(previous + 1), 1000, 2);
      results.push(await emulator.send(deviceId, `event-${i}`));
    }
  });

  async function firstBody(startPosition: EventPosition, consumerGroup = '$Default'): Promise<string> {
    const reader = track(collect(emulator.connectionString, { startPosition, partitionId, consumerGroup }));
    const event = await eventually(() => {
      const e = reader.events.find((x) => String(x.systemProperties?.['iothub-connection-device-id']) === deviceId);
      expect(e).toBeDefined();
      return e;
    });
    return (event?.body as Buffer).toString();
  }

  const at = (i: number): SendResult => results[i] as SendResult;

  it('earliest starts at the first retained event of the partition', async () => {
    const reader = track(collect(emulator.connectionString, { startPosition: earliestEventPosition, partitionId }));
    const begin = emulator.stats().partitions.find((p) => p.partitionId === partitionId)?.beginSequenceNumber;
    await eventually(() => expect(reader.events.length).toBeGreaterThan(0));
    expect(reader.events[0]?.sequenceNumber).toBe(begin);
  });

  it('offset: exclusive starts after it, inclusive at it', async () => {
    expect(await firstBody({ offset: at(1).offset })).toBe('event-2');
    expect(await firstBody({ offset: at(1).offset, isInclusive: true })).toBe('event-1');
  });

  it('sequence number: exclusive starts after it, inclusive at it', async () => {
    expect(await firstBody({ sequenceNumber: at(2).sequenceNumber })).toBe('event-3');
    expect(await firstBody({ sequenceNumber: at(2).sequenceNumber, isInclusive: true })).toBe('event-2');
  });

  it('enqueued time starts at the first event enqueued after it', async () => {
    expect(await firstBody({ enqueuedOn: at(2).enqueuedTime })).toBe('event-3');
    expect(await firstBody({ enqueuedOn: at(2).enqueuedTime.getTime() - 1 })).toBe('event-2');
  });

  it('latest starts at the next event enqueued', async () => {
    const reader = track(collect(emulator.connectionString, { startPosition: latestEventPosition, partitionId }));
    await eventually(() => expect(emulator.stats().receivers.some((r) => r.partitionId === partitionId)).toBe(true));
    const next = await emulator.send(deviceId, 'after-latest');
    await eventually(() => expect(reader.events).toHaveLength(1));
    expect(reader.events[0]?.sequenceNumber).toBe(next.sequenceNumber);
    expect((reader.events[0]?.body as Buffer).toString()).toBe('after-latest');
  });

  it('two consumer groups read the same events independently', async () => {
    const a = track(collect(emulator.connectionString, { startPosition: { sequenceNumber: at(0).sequenceNumber, isInclusive: true }, partitionId, consumerGroup: '$Default' }));
    const b = track(collect(emulator.connectionString, { startPosition: { sequenceNumber: at(0).sequenceNumber, isInclusive: true }, partitionId, consumerGroup: 'dashboard' }));
    await eventually(() => expect(a.events.length).toBeGreaterThanOrEqual(5));
    await eventually(() => expect(b.events.length).toBeGreaterThanOrEqual(5));
    const bodies = (c: Collected) => c.events.slice(0, 5).map((e) => (e.body as Buffer).toString());
    expect(bodies(a)).toEqual(['event-0', 'event-1', 'event-2', 'event-3', 'event-4']);
    expect(bodies(b)).toEqual(bodies(a));
    expect(emulator.stats().receivers.filter((r) => r.partitionId === partitionId).map((r) => r.consumerGroup).sort()).toEqual(['$Default', 'dashboard']);
  });
});
