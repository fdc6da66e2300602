import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from './helpers.js';

let dir: string;
const running: Emulator[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-data-'));
});
afterEach(async () => {
  for (const emulator of running.splice(0)) await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emulator = await startEmulator(options);
  running.push(emulator);
  return emulator;
}

const eventLines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((line) => line.startsWith('e\t'));

describe('--data-file persistence', () => {
  it('writes events within moments, so an emulator that never closed can be replayed; a torn last line is ignored', async () => {
    const dataFile = join(dir, 'events.log');
    const first = await start({ partitions: 2, dataFile });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await first.send('crash-device', `c${i}`));
    await eventually(async () => expect(await eventLines(dataFile)).toHaveLength(4));
    await appendFile(dataFile, 'e\t0\t99\t12'); // a write cut short by a crash
    const second = await start({ partitions: 2, dataFile });
    const partitionId = second.partitionOf('crash-device');
    expect(second.stats().partitions.find((p) => p.partitionId === partitionId)).toEqual({ partitionId, beginSequenceNumber: 0, lastEnqueuedSequenceNumber: 3 });
    const next = await second.send('crash-device', 'c4');
    expect(next.sequenceNumber).toBe(4);
    expect(Number(next.offset)).toBeGreaterThan(Number(results[3]?.offset));
  });

  it('close compacts the file to the retained events, keeping sequence numbers across restarts', async () => {
    const dataFile = join(dir, 'nested', 'events.log');
    const retention = { maxEventsPerPartition: 3 };
    const first = await start({ partitions: 1, dataFile, retention });
    for (let i = 0; i < 7; i++) await first.send('compact-device', `k${i}`);
    await first.close();
    expect(await eventLines(dataFile)).toHaveLength(3);
    const second = await start({ partitions: 1, dataFile, retention });
    expect(second.stats().partitions).toEqual([{ partitionId: '0', beginSequenceNumber: 4, lastEnqueuedSequenceNumber: 6 }]);
    expect((await second.send('compact-device', 'k7')).sequenceNumber).toBe(7);
  });

  it('keeps the next sequence number of a partition whose events all expired', async () => {
    const dataFile = join(dir, 'events.log');
    const first = await start({ partitions: 1, dataFile, retention: { maxAgeMs: 100 } });
    for (let i = 0; i < 3; i++) await first.send('old-device', `o${i}`);
    await eventually(() => expect(first.stats().partitions[0]?.beginSequenceNumber).toBe(3));
    await first.close();
    expect(await eventLines(dataFile)).toEqual([]);
    const second = await start({ partitions: 1, dataFile });
    expect(second.stats().partitions).toEqual([{ partitionId: '0', beginSequenceNumber: 3, lastEnqueuedSequenceNumber: 2 }]);
    expect((await second.send('old-device', 'o3')).sequenceNumber).toBe(3);
  });
});
