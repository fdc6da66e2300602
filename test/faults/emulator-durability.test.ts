import { earliestEventPosition, type ReceivedEventData } from '@azure/event-hubs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, eventually, type Collected } from '../emulator/helpers.js';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';

let dir: string;
const cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-durability-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function start(args: string[], fileSizeKiB?: number): Promise<EmulatorProcess> {
  const emulator = await startEmulatorProcess(args, fileSizeKiB);
  cleanups.push(() => emulator.kill());
  return emulator;
}

function read(emulator: EmulatorProcess): Collected {
  const reader = collect(emulator.connectionString, {
    startPosition: earliestEventPosition,
    maxBatchSize: 1, // each event is handed over as soon as it arrives
    clientOptions: { retryOptions: { retryDelayInMs: 200, maxRetries: 2, timeoutInMs: 5000 } },
  });
  cleanups.push(() => reader.close());
  return reader;
}

const post = (emulator: EmulatorProcess, deviceId: string, body: string) =>
  fetch(`${emulator.base}/devices/${deviceId}/messages/events`, { method: 'POST', body });

/** POSTs `ids` (the body of each) from 8 devices, `concurrency` at a time; returns the IDs answered 204. */
async function postAll(emulator: EmulatorProcess, ids: string[], concurrency: number): Promise<string[]> {
  const acked: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < ids.length; i = next++) {
      const response = await post(emulator, `durable-device-${i % 8}`, ids[i] as string);
      await response.arrayBuffer();
      if (response.status === 204) acked.push(ids[i] as string);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acked;
}

const idOf = (event: ReceivedEventData) => (event.body as Buffer).toString().slice(0, 16).split('|')[0] as string;
const positionsOf = (reader: Collected) =>
  new Map([...reader.byPartition].flatMap(([p, events]) => events.map((e) => [idOf(e), `${p}/${e.sequenceNumber}`] as const)));
const maxServed = (reader: Collected) =>
  new Map([...reader.byPartition].map(([p, events]) => [p, Math.max(...events.map((e) => e.sequenceNumber))]));

async function stats(emulator: EmulatorProcess) {
  const response = await fetch(`${emulator.base}/_emulator/stats`);
  return (await response.json()) as { receivers: unknown[]; partitions: { partitionId: string; lastEnqueuedSequenceNumber: number }[] };
}

/** Waits until `reader` has read every partition up to its last enqueued sequence number. */
async function readAll(emulator: EmulatorProcess, reader: Collected): Promise<void> {
  const { partitions } = await stats(emulator);
  await eventually(() => {
    for (const p of partitions) {
      const last = reader.byPartition.get(p.partitionId)?.at(-1)?.sequenceNumber ?? -1;
      expect(last, `partition ${p.partitionId}`).toBe(p.lastEnqueuedSequenceNumber);
    }
  }, { timeoutMs: 15_000 });
}

describe('emulator --data-file durability across kill -9', () => {
  it('keeps every acknowledged event exactly once with its sequence number, and never serves a number twice', async () => {
    const dataFile = join(dir, 'events.log');
    const first = await start(['--data-file', dataFile]);
    const before = read(first);
    await eventually(async () => expect((await stats(first)).receivers).toHaveLength(4));

    const ids = Array.from({ length: 200 }, (_, i) => `m-${i}`);
    const acked = await postAll(first, ids, 20);
    const lastEnqueued = (await stats(first)).partitions;
    await first.kill();
    expect(acked).toHaveLength(200);
    const positionsBefore = positionsOf(before);
    const servedBefore = maxServed(before);
    for (const p of lastEnqueued) servedBefore.set(p.partitionId, Math.max(servedBefore.get(p.partitionId) ?? -1, p.lastEnqueuedSequenceNumber));
    await before.close();

    const second = await start(['--data-file', dataFile]);
    const after = read(second);
    await readAll(second, after);
    expect(after.events.map(idOf).sort()).toEqual([...acked].sort());
    const positionsAfter = positionsOf(after);
    for (const [id, position] of positionsBefore) expect(`${id}@${positionsAfter.get(id)}`).toBe(`${id}@${position}`);

    const fresh = Array.from({ length: 40 }, (_, i) => `n-${i}`);
    expect(await postAll(second, fresh, 20)).toHaveLength(40);
    await readAll(second, after);
    for (const [p, events] of after.byPartition) {
      const newest = events.filter((e) => idOf(e).startsWith('n-')).map((e) => e.sequenceNumber);
      const floor = Math.max(servedBefore.get(p) ?? -1, ...events.filter((e) => idOf(e).startsWith('m-')).map((e) => e.sequenceNumber));
      expect(Math.min(...newest), `first new sequence number of partition ${p}`).toBeGreaterThan(floor);
    }
  });

  it('answers 503 storage_failed, never 204, once the data file cannot be written, and keeps what it acknowledged', async () => {
    const dataFile = join(dir, 'events.log');
    const first = await start(['--data-file', dataFile, '--partitions', '1'], 512);
    const statuses: number[] = [];
    const bodies: unknown[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await post(first, 'full-disk-device', `f-${i}|${'x'.repeat(64 * 1024)}`);
      statuses.push(response.status);
      if (response.status !== 204) bodies.push(await response.json());
    }
    const acked = statuses.filter((s) => s === 204).length;
    expect(acked).toBeGreaterThan(0);
    expect(statuses).toEqual([...Array<number>(acked).fill(204), ...Array<number>(12 - acked).fill(503)]);
    expect(acked).toBeLessThan(12);
    expect(bodies[0]).toEqual({ error: 'storage_failed', message: expect.stringContaining('data file') as unknown });
    await first.kill();

    const second = await start(['--data-file', dataFile, '--partitions', '1']);
    const after = read(second);
    await readAll(second, after);
    expect(after.events.map((e) => `${idOf(e)}@${e.sequenceNumber}`)).toEqual(Array.from({ length: acked }, (_, i) => `f-${i}@${i}`));
    const next = await post(second, 'full-disk-device', 'g-0');
    expect(next.status).toBe(204);
    await readAll(second, after);
    expect(after.events.at(-1)?.sequenceNumber).toBe(acked);
  });
});
