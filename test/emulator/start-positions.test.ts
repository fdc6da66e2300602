import { earliestEventPosition, latestEventPosition, type EventPosition } from '@azure/event-hubs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type SendResult } from '../../src/emulator/index.js';
import { collect, eventually, type Collected } from './helpers.js';

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

describe('start positions', () => {
  const deviceId = 'position-device';
  let partitionId: string;
  let results: SendResult[];

  beforeAll(async () => {
    partitionId = emulator.partitionOf(deviceId);
    results = [];
    for (let i = 0; i < 5; i++) {
      const previous = results.at(-1)?.enqueuedTime.getTime() ?? 0;
      await eventually(() => expect(Date.now()).toBeGreaterThan(previous + 1), { timeoutMs: 1000, intervalMs: 2 });
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
