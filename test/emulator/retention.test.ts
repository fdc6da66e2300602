import { EventHubConsumerClient, earliestEventPosition } from '@azure/event-hubs';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { collect, eventually } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Parameters<typeof startEmulator>[0]): Promise<{ emulator: Emulator; client: EventHubConsumerClient }> {
  const emulator = await startEmulator(options);
  const client = new EventHubConsumerClient('$Default', emulator.connectionString);
  cleanups.push(() => emulator.close(), () => client.close());
  return { emulator, client };
}

describe('retention', () => {
  it('a count bound moves the begin sequence number; getPartitionProperties and earliest follow it', async () => {
    const { emulator, client } = await start({ partitions: 2, retention: { maxEventsPerPartition: 3 } });
    const deviceId = 'retained-device';
    const partitionId = emulator.partitionOf(deviceId);
    for (let i = 0; i < 8; i++) await emulator.send(deviceId, `r${i}`);
    const props = await client.getPartitionProperties(partitionId);
    expect(props.beginningSequenceNumber).toBe(5);
    expect(props.lastEnqueuedSequenceNumber).toBe(7);
    expect(props.isEmpty).toBe(false);
    expect(emulator.stats().partitions.find((p) => p.partitionId === partitionId)).toEqual({ partitionId, beginSequenceNumber: 5, lastEnqueuedSequenceNumber: 7 });
    const reader = collect(emulator.connectionString, { partitionId, startPosition: earliestEventPosition });
    cleanups.push(() => reader.close());
    await eventually(() => expect(reader.events).toHaveLength(3));
    expect(reader.events.map((e) => (e.body as Buffer).toString())).toEqual(['r5', 'r6', 'r7']);
    // A position older than the retained range starts at the begin sequence number.
    const old = collect(emulator.connectionString, { partitionId, startPosition: { sequenceNumber: 1 } });
    cleanups.push(() => old.close());
    await eventually(() => expect(old.events).toHaveLength(3));
    expect(old.events[0]?.sequenceNumber).toBe(5);
  });

  it('an age bound drops old events: the partition empties and its begin moves past the last event', async () => {
    const { emulator, client } = await start({ partitions: 1, retention: { maxAgeMs: 300 } });
    for (let i = 0; i < 3; i++) await emulator.send('aging-device', `a${i}`);
    expect((await client.getPartitionProperties('0')).beginningSequenceNumber).toBe(0);
    const props = await eventually(async () => {
      const p = await client.getPartitionProperties('0');
      expect(p.isEmpty).toBe(true);
      return p;
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect(props.beginningSequenceNumber).toBe(3);
    expect(props.lastEnqueuedSequenceNumber).toBe(2);
    const next = await emulator.send('aging-device', 'fresh');
    expect(next.sequenceNumber).toBe(3);
    expect((await client.getPartitionProperties('0')).beginningSequenceNumber).toBe(3);
  });
});
