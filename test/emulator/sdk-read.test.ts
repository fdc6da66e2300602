import { EventHubConsumerClient, latestEventPosition } from '@azure/event-hubs';
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
    expect(JSON.parse(moduleEvent?.systemProperties?.['iothub-connection-auth-method'] as string)).toMatchObject({ scope: 'module' });
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
