import { earliestEventPosition } from '@azure/event-hubs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { collect, eventually, type Collected } from './helpers.js';

let emulator: Emulator;
const open: Collected[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ partitions: 2 });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await eventually(() => expect(emulator.stats().receivers).toEqual([]));
});
afterAll(async () => {
  await emulator.close();
});

function reader(options: Parameters<typeof collect>[1]): Collected {
  const c = collect(emulator.connectionString, { partitionId: '0', startPosition: earliestEventPosition, ...options });
  open.push(c);
  return c;
}

/** The SDK reports `MessagingError`s; the condition is in `code`. */
const codes = (c: Collected) => c.errors.map((e) => (e.error as Error & { code?: string }).code);

const receiversOn0 = () => emulator.stats().receivers.filter((r) => r.partitionId === '0');

describe('owner level (epoch)', () => {
  it.each([
    ['an equal', 1, 1],
    ['a higher', 1, 2],
  ])('%s owner level takes the partition; the first receiver gets ReceiverDisconnectedError', async (_label, first, second) => {
    const a = reader({ ownerLevel: first });
    await eventually(() => expect(receiversOn0()).toEqual([{ partitionId: '0', consumerGroup: '$Default', ownerLevel: first }]));
    const b = reader({ ownerLevel: second });
    await eventually(() => expect(codes(a)).toContain('ReceiverDisconnectedError'));
    await eventually(() => expect(a.closes).toEqual([{ partitionId: '0', reason: 'OwnershipLost' }]));
    await eventually(() => expect(receiversOn0()).toEqual([{ partitionId: '0', consumerGroup: '$Default', ownerLevel: second }]));
    const deviceId = ['device-0', 'device-1', 'device-2', 'device-3'].find((id) => emulator.partitionOf(id) === '0') as string;
    const sent = await emulator.send(deviceId, 'owned');
    await eventually(() => expect(b.events.map((e) => e.sequenceNumber)).toContain(sent.sequenceNumber));
    expect(a.events.map((e) => e.sequenceNumber)).not.toContain(sent.sequenceNumber);
    expect(b.errors).toEqual([]);
  });

  it('a receiver without owner level is refused while an owner-level receiver holds the partition', async () => {
    reader({ ownerLevel: 5 });
    await eventually(() => expect(receiversOn0()).toHaveLength(1));
    const plain = reader({});
    await eventually(() => expect(codes(plain)).toContain('ReceiverDisconnectedError'));
    expect(receiversOn0()).toEqual([{ partitionId: '0', consumerGroup: '$Default', ownerLevel: 5 }]);
  });

  it('refuses the 6th receiver without owner level on a partition and consumer group', async () => {
    for (let i = 0; i < 5; i++) reader({});
    await eventually(() => expect(receiversOn0()).toHaveLength(5));
    const other = reader({ consumerGroup: 'other' });
    await eventually(() => expect(receiversOn0()).toHaveLength(6));
    const sixth = reader({});
    await eventually(() => expect(sixth.errors.length).toBeGreaterThan(0));
    expect(codes(sixth)[0]).toBe('QuotaExceededError');
    expect(receiversOn0().filter((r) => r.consumerGroup === '$Default')).toHaveLength(5);
    expect(other.errors).toEqual([]);
  });
});
