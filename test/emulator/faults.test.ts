import { earliestEventPosition, latestEventPosition } from '@azure/event-hubs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { collect, eventually, useEmulatorCleanup, type Collected } from './helpers.js';

const { start, read, defer } = useEmulatorCleanup();

const bodies = (reader: Collected) => reader.events.map((e) => (e.body as Buffer).toString());

async function sendAll(emulator: Emulator, deviceId: string, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await emulator.send(deviceId, `e${i}`);
}

describe('faults', () => {
  it('after disconnect, a client with short retries resumes at the last sequence number + 1 within 5 s', async () => {
    const emulator = await start({ partitions: 1 });
    const reader = read(emulator, { startPosition: earliestEventPosition });
    await sendAll(emulator, 'meter', 0, 5);
    await eventually(() => expect(reader.events).toHaveLength(5));
    emulator.faults.disconnect();
    await sendAll(emulator, 'meter', 5, 10);
    const started = Date.now();
    await eventually(() => expect(reader.events).toHaveLength(10), { timeoutMs: 5000, intervalMs: 20 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(reader.events.map((e) => e.sequenceNumber)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(bodies(reader)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    expect(reader.closes).toEqual([]);
    await eventually(() => expect(emulator.stats().connections).toBe(1));
  });

  it('disconnect over HTTP answers 204 and drops every AMQP connection', async () => {
    const emulator = await start({ partitions: 1 });
    const reader = read(emulator, { startPosition: latestEventPosition });
    await eventually(() => expect(emulator.stats().receivers).toHaveLength(1));
    const response = await fetch(`http://127.0.0.1:${emulator.httpPort}/_emulator/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'disconnect' }),
    });
    expect(response.status).toBe(204);
    expect(emulator.stats().connections).toBe(0);
    expect(emulator.stats().receivers).toEqual([]);
    await eventually(() => expect(emulator.stats().receivers).toHaveLength(1), { timeoutMs: 5000 });
    expect(reader.errors.filter((e) => (e.error as Error & { code?: string }).code !== 'ConnectionForcedError')).toEqual([]);
  });

  it('after a restart with a data file, the reader resumes with no gap and no duplicate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-'));
    defer(() => rm(dir, { recursive: true, force: true }));
    const dataFile = join(dir, 'events.log');
    const first = await startEmulator({ partitions: 2, dataFile });
    const port = first.amqpPort;
    const deviceId = 'restarted-meter';
    const partitionId = first.partitionOf(deviceId);
    const reader = collect(first.connectionString, {
      partitionId, startPosition: earliestEventPosition, clientOptions: { retryOptions: { retryDelayInMs: 500, maxRetries: 10 } },
    });
    defer(() => reader.close());
    await sendAll(first, deviceId, 0, 5);
    await eventually(() => expect(reader.events).toHaveLength(5));
    await first.close();
    const second = await start({ partitions: 2, dataFile, amqpPort: port });
    expect(second.stats().partitions.find((p) => p.partitionId === partitionId)).toEqual({ partitionId, beginSequenceNumber: 0, lastEnqueuedSequenceNumber: 4 });
    const next = await second.send(deviceId, 'e5');
    expect(next.sequenceNumber).toBe(5);
    await sendAll(second, deviceId, 6, 8);
    await eventually(() => expect(reader.events).toHaveLength(8), { timeoutMs: 5000, intervalMs: 20 });
    expect(reader.events.map((e) => e.sequenceNumber)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(bodies(reader)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    // The replayed events are the same bytes: offsets and enqueued times survive the restart.
    const fresh = read(second, { partitionId, startPosition: earliestEventPosition });
    await eventually(() => expect(fresh.events).toHaveLength(8));
    expect(fresh.events.map((e) => [e.offset, e.enqueuedTimeUtc.getTime()])).toEqual(reader.events.map((e) => [e.offset, e.enqueuedTimeUtc.getTime()]));
  });

  it('during a stall (set over HTTP) nothing is delivered; afterwards the events arrive in order', async () => {
    const emulator = await start({ partitions: 1 });
    const reader = read(emulator, { startPosition: latestEventPosition });
    await eventually(() => expect(emulator.stats().receivers).toHaveLength(1));
    await sendAll(emulator, 'stalled', 0, 1);
    await eventually(() => expect(reader.events).toHaveLength(1));
    const response = await fetch(`http://127.0.0.1:${emulator.httpPort}/_emulator/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'stall', durationMs: 3000 }),
    });
    expect(response.status).toBe(204);
    await sendAll(emulator, 'stalled', 1, 3);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reader.events).toHaveLength(1);
    await eventually(() => expect(reader.events).toHaveLength(3), { timeoutMs: 10_000 });
    expect(bodies(reader)).toEqual(['e0', 'e1', 'e2']);
  });

  it('hold-deliveries (set over HTTP) holds events back while $management still answers; 0 ends it', async () => {
    const emulator = await start({ partitions: 1 });
    const reader = read(emulator, { startPosition: latestEventPosition });
    await eventually(() => expect(emulator.stats().receivers).toHaveLength(1));
    const post = (body: object) => fetch(`http://127.0.0.1:${emulator.httpPort}/_emulator/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect((await post({ type: 'hold-deliveries', durationMs: 60_000 })).status).toBe(204);
    await sendAll(emulator, 'held', 0, 3);
    const properties = await reader.client.getPartitionProperties('0');
    expect([properties.lastEnqueuedSequenceNumber, properties.isEmpty]).toEqual([2, false]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reader.events).toHaveLength(0);
    expect((await post({ type: 'hold-deliveries', durationMs: 0 })).status).toBe(204);
    await eventually(() => expect(reader.events).toHaveLength(3), { timeoutMs: 5000 });
    expect(bodies(reader)).toEqual(['e0', 'e1', 'e2']);
  });
});
