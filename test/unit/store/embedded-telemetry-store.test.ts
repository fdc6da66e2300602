import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedTelemetryStore } from '../../../src/store/embedded/embedded-telemetry-store.js';
import { FakeClock } from '../../support/fake-clock.js';
import { describeTelemetryStoreContract, message } from './telemetry-store-contract.js';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-embedded-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describeTelemetryStoreContract(
  'embedded',
  async (historyLimit) => EmbeddedTelemetryStore.open(await tempDir(), historyLimit, new FakeClock()),
  (historyLimit) => EmbeddedTelemetryStore.open(dirs.at(-1) as string, historyLimit, new FakeClock()),
);

const scope = { fullyQualifiedNamespace: 'ns.example', eventHubName: 'hub', consumerGroup: '$Default' };
const checkpoint = (partitionId: string, sequenceNumber: number) => ({ ...scope, partitionId, sequenceNumber, offset: String(sequenceNumber * 100) });
const positions = (messages: readonly { partitionId: string; sequenceNumber: number }[]) => messages.map((m) => `${m.partitionId}:${m.sequenceNumber}`);

describe('EmbeddedTelemetryStore on reopen', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });

  it('keeps history, latest, registrations, checkpoints and the idle mark', async () => {
    const first = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    await first.append([1, 2, 3, 4].map((n) => message('a', '0', n)), [checkpoint('0', 4)]);
    await first.registrations.put({ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z' });
    await first.checkpointStore.markIdle();
    await first.close();

    const second = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    expect(await second.latest('a')).toEqual(message('a', '0', 4));
    expect(positions(await second.history('a', { limit: 10 }))).toEqual(['0:4', '0:3', '0:2']);
    expect(await second.after('a', '0:3')).toEqual({ found: true, messages: [message('a', '0', 4)] });
    expect(await second.registrations.list()).toEqual([{ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z' }]);
    expect(await second.checkpointStore.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup)).toEqual([checkpoint('0', 4)]);
    expect(await second.checkpointStore.reopenAtLatest(scope, () => Promise.resolve([checkpoint('0', 9)]), 1000)).toBe(true);
    await second.close();

    const third = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    expect(await third.checkpointStore.reopenAtLatest(scope, () => Promise.resolve([]), 1000)).toBe(false);
    expect(await third.checkpointStore.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup)).toEqual([checkpoint('0', 9)]);
    await third.close();
  });

  it('keeps bodyFormat in the database across a reopen', async () => {
    const first = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    const decoded = { ...message('a', '0', 1), body: { t: 1 }, bodyFormat: ['gzip', 'cbor'] };
    await first.append([decoded], []);
    await first.close();
    const second = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    expect(await second.history('a', { limit: 10 })).toEqual([decoded]);
    expect((await second.latest('a'))?.bodyFormat).toEqual(['gzip', 'cbor']);
    await second.close();
  });

  it('skips after a reopen what was stored before it, and goes on evicting the oldest', async () => {
    const first = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    await first.append([message('a', '0', 5), message('a', '1', 7)], []);
    await first.close();

    const second = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    const stored = await second.append([message('a', '0', 4), message('a', '0', 5), message('a', '1', 7), message('a', '0', 6), message('a', '1', 8)], []);
    expect(positions(stored)).toEqual(['0:6', '1:8']);
    expect(positions(await second.history('a', { limit: 10 }))).toEqual(['1:8', '0:6', '1:7']);
    expect((await second.after('a', '0:5')).found).toBe(false);
    await second.close();
  });

  it('forgets a removed device across a reopen, and stores its redelivered messages again', async () => {
    const first = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    await first.append([message('a', '0', 1), message('b', '0', 1)], []);
    await first.remove('a');
    await first.close();
    const second = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    expect(await second.latest('a')).toBeUndefined();
    expect(positions(await second.append([message('a', '0', 1)], []))).toEqual(['0:1']);
    expect((await second.latest('b'))?.sequenceNumber).toBe(1);
    await second.close();
  });
});

describe('EmbeddedTelemetryStore forgetting a log', () => {
  it('drops messages, dedupe state, checkpoints and the idle mark, keeps registrations', async () => {
    const store = await EmbeddedTelemetryStore.open(await tempDir(), 3, new FakeClock());
    await store.append([message('a', '0', 9)], [checkpoint('0', 9)]);
    await store.registrations.put({ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z' });
    await store.checkpointStore.markIdle();
    await store.forgetLog();
    expect(await store.latest('a')).toBeUndefined();
    expect(await store.checkpointStore.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup)).toEqual([]);
    expect(await store.checkpointStore.reopenAtLatest(scope, () => Promise.resolve([]), 1000)).toBe(false);
    expect(positions(await store.append([message('a', '0', 1)], []))).toEqual(['0:1']);
    expect((await store.registrations.list()).map((r) => r.deviceId)).toEqual(['a']);
    await store.close();
  });
});

describe('EmbeddedTelemetryStore registrations import', () => {
  it('reads registrations.json once, records the import and leaves the file in place', async () => {
    const dir = await tempDir();
    const file = `${JSON.stringify({ devices: [{ deviceId: 'old-1', registeredAt: '2025-01-01T00:00:00.000Z' }, { deviceId: 'old-2', registeredAt: '2025-01-02T00:00:00.000Z' }] })}\n`;
    await writeFile(join(dir, 'registrations.json'), file);
    const now = () => Date.UTC(2026, 0, 1);

    const first = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    expect(await first.registrations.importFileOnce(dir, now)).toBe(2);
    expect((await first.registrations.list()).map((r) => r.deviceId)).toEqual(['old-1', 'old-2']);
    await first.registrations.delete('old-1');
    await first.close();

    const second = await EmbeddedTelemetryStore.open(dir, 3, new FakeClock());
    expect(await second.registrations.importFileOnce(dir, now)).toBeUndefined();
    expect(await second.registrations.list()).toEqual([{ deviceId: 'old-2', registeredAt: '2025-01-02T00:00:00.000Z' }]);
    await second.close();
    expect(await readFile(join(dir, 'registrations.json'), 'utf8')).toBe(file);
  });
});

describe('EmbeddedTelemetryStore owner lock', () => {
  it('refuses a second open of one STATE_DIR while the first holds it, and opens once it is closed', async () => {
    const dir = await tempDir();
    const first = await EmbeddedTelemetryStore.open(dir, 10, new FakeClock());
    await first.append([message('dev', '0', 1)], []);
    await expect(EmbeddedTelemetryStore.open(dir, 10, new FakeClock(), { waitMs: 300 }))
      .rejects.toThrow(`another gateway process uses ${dir} (its gateway.mdb.owner lock is held): give each gateway process its own STATE_DIR`);
    await first.append([message('dev', '1', 1)], []);
    await first.close();
    const second = await EmbeddedTelemetryStore.open(dir, 10, new FakeClock(), { waitMs: 300 });
    expect(positions(await second.history('dev', { limit: 10 }))).toEqual(['1:1', '0:1']);
    await second.close();
  });
});

describe('EmbeddedTelemetryStore registrations', () => {
  it('lists in registration order, also for registrations within one millisecond and after a reopen', async () => {
    const dir = await tempDir();
    const at = '2026-01-01T00:00:00.000Z';
    const first = await EmbeddedTelemetryStore.open(dir, 10, new FakeClock());
    for (const deviceId of ['meter-01', 'meter-02', 'feeder-01']) await first.registrations.put({ deviceId, registeredAt: at });
    await first.registrations.put({ deviceId: 'meter-01', registeredAt: at });
    expect((await first.registrations.list()).map((r) => r.deviceId)).toEqual(['meter-01', 'meter-02', 'feeder-01']);
    await first.close();
    const second = await EmbeddedTelemetryStore.open(dir, 10, new FakeClock());
    await second.registrations.put({ deviceId: 'added', registeredAt: at });
    expect((await second.registrations.list()).map((r) => r.deviceId)).toEqual(['meter-01', 'meter-02', 'feeder-01', 'added']);
    await second.close();
  });
});
