import { earliestEventPosition } from '@azure/event-hubs';
import rhea, { type Connection, type EventContext, type Receiver } from 'rhea';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { collect, eventually, type Collected } from './helpers.js';

let emulator: Emulator;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ partitions: 2 });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(async () => {
  await emulator.close();
});

/** A plain rhea receiver on one partition with manual credit (credit_window 0), from the earliest event. */
async function rawReceiver(partitionId: string): Promise<{ receiver: Receiver; received: string[] }> {
  const container = rhea.create_container();
  const connection: Connection = container.connect({ host: '127.0.0.1', port: emulator.amqpPort, reconnect: false });
  cleanups.push(() => new Promise<void>((resolve) => {
    connection.once('connection_close', () => resolve());
    connection.once('disconnected', () => resolve());
    connection.close();
  }));
  const received: string[] = [];
  const receiver = connection.open_receiver({
    source: {
      address: `${emulator.hubName}/ConsumerGroups/$Default/Partitions/${partitionId}`,
      filter: { 'apache.org:selector-filter:string': rhea.types.wrap_described("amqp.annotation.x-opt-offset > '-1'", 0x468c00000004) },
    },
    credit_window: 0,
    autoaccept: true,
  });
  receiver.on('message', (context: EventContext) => {
    const body = (context.message as { body: { content: Buffer } }).body;
    received.push(body.content.toString());
  });
  await new Promise<void>((resolve) => receiver.once('receiver_open', () => resolve()));
  return { receiver, received };
}

describe('link credit', () => {
  it('never delivers beyond the credit the receiver granted', async () => {
    const deviceId = 'credit-device';
    const partitionId = emulator.partitionOf(deviceId);
    for (let i = 0; i < 10; i++) await emulator.send(deviceId, `c${i}`);
    const { receiver, received } = await rawReceiver(partitionId);
    receiver.add_credit(3);
    await eventually(() => expect(received).toEqual(['c0', 'c1', 'c2']));
    // A further event arrives while the receiver has no credit left: it must wait.
    await emulator.send(deviceId, 'c10');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toHaveLength(3);
    receiver.add_credit(2);
    await eventually(() => expect(received).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']));
    receiver.add_credit(100);
    await eventually(() => expect(received).toHaveLength(11));
    expect(received.at(-1)).toBe('c10');
  });

  it('delivers a backlog larger than the session buffer (2048) in order, without gaps', async () => {
    const deviceId = 'flood-device';
    const partitionId = emulator.partitionOf(deviceId);
    const count = 5000;
    for (let i = 0; i < count; i++) await emulator.send(deviceId, String(i));
    const reader: Collected = collect(emulator.connectionString, {
      startPosition: earliestEventPosition, partitionId, maxBatchSize: 500, prefetchCount: 3000,
    });
    cleanups.push(() => reader.close());
    await eventually(() => expect(reader.events.filter((e) => e.systemProperties?.['iothub-connection-device-id'] === deviceId)).toHaveLength(count), { timeoutMs: 20_000 });
    const mine = reader.events.filter((e) => e.systemProperties?.['iothub-connection-device-id'] === deviceId);
    expect(mine.map((e) => Number((e.body as Buffer).toString()))).toEqual(Array.from({ length: count }, (_, i) => i));
    const sequence = reader.events.map((e) => e.sequenceNumber);
    expect(sequence).toEqual(Array.from({ length: sequence.length }, (_, i) => (sequence[0] as number) + i));
    expect(reader.errors).toEqual([]);
  });
});
