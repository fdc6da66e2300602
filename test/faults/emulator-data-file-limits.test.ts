import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../src/emulator/event-hub.js';
import { GroupCommit } from '../../src/emulator/group-commit.js';
import { StorageError, type SendResult } from '../../src/emulator/index.js';
import { useEmulatorCleanup } from '../emulator/helpers.js';

let dir: string;
const { start, defer } = useEmulatorCleanup();
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-limits-'));
  const created = dir;
  defer(() => rm(created, { recursive: true, force: true })); // after the emulators started later close
});
afterEach(() => {
  vi.useRealTimers();
});

const codeOf = (error: unknown) => (error instanceof StorageError ? error.code : String(error));

describe('emulator data file: bounded waiting, timed-out writes', () => {
  it('refuses sends beyond the pending bound with storage_busy, and the device API answers 503 with Retry-After', async () => {
    const emulator = await start({ partitions: 1, dataFile: join(dir, 'events.log'), dataFileLimits: { maxPendingEvents: 10, maxPendingBytes: 1000 } });
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => emulator.send('busy-device', `b${i}`)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.sequenceNumber : codeOf(o.reason)))).toEqual([
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array<string>(20).fill('storage_busy'),
    ]);
    expect((await emulator.send('busy-device', 'after')).sequenceNumber).toBe(10);

    const response = await fetch(`http://127.0.0.1:${emulator.httpPort}/devices/busy-device/messages/events`, { method: 'POST', body: 'x'.repeat(1001) });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({ error: 'storage_busy', message: 'Too many events are waiting for the data file; retry.' });
    expect(emulator.stats().partitions).toEqual([{ partitionId: '0', beginSequenceNumber: 0, lastEnqueuedSequenceNumber: 10 }]);
  });

  it('fails a write that does not finish within the timeout, publishes nothing of it, and refuses later sends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const hub = new EventHub('hub', 1, { maxEvents: 100, maxAgeMs: 60_000 });
    const commits = new GroupCommit(hub, () => new Promise<void>(() => undefined), { maxPendingEvents: 10, maxPendingBytes: 1000, writeTimeoutMs: 10_000 });
    const message = (body: string) => ({ deviceId: 'slow-device', messageSource: 'Telemetry', body: Buffer.from(body) });
    const sends: Promise<SendResult>[] = [commits.submit(message('s0')), commits.submit(message('s1'))];
    const outcomes = Promise.allSettled(sends);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(hub.partitions[0]?.nextSequenceNumber).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect((await outcomes).map((o) => (o.status === 'rejected' ? `${codeOf(o.reason)}: ${(o.reason as Error).message}` : 'sent'))).toEqual([
      'storage_failed: The data file could not be written: no answer within 10000 ms',
      'storage_failed: The data file could not be written: no answer within 10000 ms',
    ]);
    expect(hub.partitions[0]?.nextSequenceNumber).toBe(0);
    await expect(commits.submit(message('s2'))).rejects.toMatchObject({ code: 'storage_failed' });
    await commits.close();
  });
});
