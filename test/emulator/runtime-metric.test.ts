import { EventHubConsumerClient } from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from './helpers.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ partitions: 2 });
});
afterAll(async () => {
  await emulator.close();
});

describe('receiver runtime metric', () => {
  it('with trackLastEnqueuedEventProperties, each delivery carries the partition’s last enqueued event', async () => {
    const deviceId = 'metric-device';
    const partitionId = emulator.partitionOf(deviceId);
    const first = await emulator.send(deviceId, 'm0');
    const last = await emulator.send(deviceId, 'm1');
    const client = new EventHubConsumerClient('$Default', emulator.connectionString);
    const seen: { sequenceNumber?: number; offset?: string; enqueuedOn?: Date; retrievedOn?: Date }[] = [];
    const subscription = client.subscribe(partitionId, {
      processEvents: (events, context) => {
        if (events.length > 0) seen.push({ ...context.lastEnqueuedEventProperties });
        return Promise.resolve();
      },
      processError: () => Promise.resolve(),
    }, { startPosition: { sequenceNumber: first.sequenceNumber, isInclusive: true }, trackLastEnqueuedEventProperties: true, maxBatchSize: 10 });
    try {
      const props = await eventually(() => {
        expect(seen.length).toBeGreaterThan(0);
        return seen[0];
      });
      expect(props?.sequenceNumber).toBe(last.sequenceNumber);
      expect(props?.offset).toBe(last.offset);
      expect(props?.enqueuedOn).toEqual(last.enqueuedTime);
      expect(props?.retrievedOn).toBeInstanceOf(Date);
    } finally {
      await subscription.close();
      await client.close();
    }
  });
});
