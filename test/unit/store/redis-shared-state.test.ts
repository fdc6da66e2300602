import type { Checkpoint } from '@azure/event-hubs';
import { firstValueFrom, take, toArray, type Observable } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/config/clock.js';
import type { RegistrationChange } from '../../../src/store/registration-store.js';
import { RedisUnavailableError } from '../../../src/store/redis/redis-connection.js';
import { openRedisStore, type RedisStoreOptions } from '../../../src/store/redis/open-redis-store.js';
import type { RedisTelemetryStore } from '../../../src/store/redis/redis-telemetry-store.js';
import type { TelemetryMessage } from '../../../src/telemetry/telemetry-message.js';
import { skipWithoutRedis, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { message } from './telemetry-store-contract.js';

const scope = { fullyQualifiedNamespace: 'ns.example', eventHubName: 'hub', consumerGroup: '$Default' };
const checkpoint = (partitionId: string, sequenceNumber: number): Checkpoint => ({ ...scope, partitionId, sequenceNumber, offset: String(sequenceNumber) });
const positions = (messages: readonly TelemetryMessage[]) => messages.map((m) => `${m.partitionId}:${m.sequenceNumber}`);

/** Everything `source$` emits within `ms` real milliseconds. */
function collect<T>(source$: Observable<T>, ms: number): Promise<T[]> {
  const items: T[] = [];
  const subscription = source$.subscribe((item) => items.push(item));
  return new Promise((resolve) => setTimeout(() => {
    subscription.unsubscribe();
    resolve(items);
  }, ms));
}

describe.skipIf(skipWithoutRedis)('Redis engine shared by two instances', () => {
  let server: RedisServer;
  let run = 0;
  const open: RedisTelemetryStore[] = [];
  const warnings: string[] = [];
  const logger = { info: () => undefined, warn: (m: string) => warnings.push(m) };

  /** Two stores (instances) on one Redis and one key prefix. */
  async function pair(more: Partial<RedisStoreOptions> = {}): Promise<[RedisTelemetryStore, RedisTelemetryStore]> {
    const options = { url: server.url, password: null, historyLimit: 100, clock: systemClock, logger, keyPrefix: `s${(run += 1)}:`, ...more };
    const stores = [await openRedisStore(options), await openRedisStore(options)] as [RedisTelemetryStore, RedisTelemetryStore];
    open.push(...stores);
    return stores;
  }

  beforeAll(async () => {
    server = await startRedisServer({ password: 'p@ss word' });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    warnings.length = 0;
  });
  afterAll(async () => {
    await server.stop();
  });

  it("delivers A's stored messages on B's remote$ once, in commit order, and never on A's", async () => {
    const [a, b] = await pair();
    const onB = firstValueFrom(b.remote$.pipe(take(6), toArray()));
    const onA = collect(a.remote$, 300);
    await a.append([message('d', '0', 1), message('d', '0', 2), message('e', '1', 1)], [checkpoint('0', 2)]);
    await a.append([message('d', '0', 2), message('d', '0', 3)], []);
    await a.append([message('d', '0', 4), message('e', '1', 2)], []);
    expect((await onB).map((m) => `${m.deviceId}@${m.partitionId}:${m.sequenceNumber}`)).toEqual(['d@0:1', 'd@0:2', 'e@1:1', 'd@0:3', 'd@0:4', 'e@1:2']);
    expect(await onA).toEqual([]);
    expect(await collect(b.remote$, 200)).toEqual([]);
  });

  it('dedupes across instances: what A stored, B skips, and the positions are the same on both', async () => {
    const [a, b] = await pair();
    expect(positions(await a.append([1, 2, 3].map((n) => message('d', '0', n)), []))).toEqual(['0:1', '0:2', '0:3']);
    expect(positions(await b.append([2, 3, 4, 5].map((n) => message('d', '0', n)), []))).toEqual(['0:4', '0:5']);
    expect(positions((await a.after('d', '0:3')).messages)).toEqual(['0:4', '0:5']);
    expect(await b.history('d', { limit: 10 })).toEqual(await a.history('d', { limit: 10 }));
  });

  it("leaves B's ownership when A releases after B claimed with A's etag", async () => {
    const [a, b] = await pair();
    const [mine] = await a.checkpointStore.claimOwnership([{ ...scope, partitionId: '0', ownerId: 'A', etag: undefined }]);
    const [stolen] = await b.checkpointStore.claimOwnership([{ ...scope, partitionId: '0', ownerId: 'B', etag: mine?.etag }]);
    expect(stolen?.ownerId).toBe('B');
    expect(stolen?.etag).not.toBe(mine?.etag);
    await a.checkpointStore.release('0');
    const owners = await a.checkpointStore.listOwnership(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
    expect(owners.map((o) => [o.partitionId, o.ownerId, o.etag])).toEqual([['0', 'B', stolen?.etag]]);
    expect(await a.checkpointStore.claimOwnership([{ ...scope, partitionId: '0', ownerId: 'A', etag: mine?.etag }])).toEqual([]);
    await b.checkpointStore.release('0');
    expect(await b.checkpointStore.listOwnership(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup)).toEqual([]);
  });

  it('stamps ownerships with the Redis server time', async () => {
    const [a] = await pair();
    const before = Date.now();
    const [claimed] = await a.checkpointStore.claimOwnership([{ ...scope, partitionId: '1', ownerId: 'A', etag: undefined }]);
    expect(claimed?.lastModifiedTimeInMs).toBeGreaterThanOrEqual(before - 1000);
    expect(claimed?.lastModifiedTimeInMs).toBeLessThanOrEqual(Date.now() + 1000);
    const [listed] = await a.checkpointStore.listOwnership(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
    expect(listed).toEqual(claimed);
  });

  it('lets only one of two concurrent reopenAtLatest resolve latest; the other waits for it and finds no mark', async () => {
    const [a, b] = await pair();
    await a.append([], [checkpoint('0', 4)]);
    await a.checkpointStore.markIdle();
    let calls = 0;
    const latest = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return [checkpoint('0', 40), checkpoint('1', 7)];
    };
    const results = await Promise.all([a.checkpointStore.reopenAtLatest(scope, latest, 5000), b.checkpointStore.reopenAtLatest(scope, latest, 5000)]);
    expect(calls).toBe(1);
    expect(results.sort()).toEqual([false, true]);
    const listed = await b.checkpointStore.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
    expect(listed.sort((x, y) => x.partitionId.localeCompare(y.partitionId))).toEqual([checkpoint('0', 40), checkpoint('1', 7)]);
  });

  it('gives up on the reopen lock after timeoutMs while another instance holds it', async () => {
    const [a, b] = await pair();
    await a.checkpointStore.markIdle();
    let release: () => void = () => undefined;
    const slow = a.checkpointStore.reopenAtLatest(scope, () => new Promise<Checkpoint[]>((resolve) => (release = () => resolve([]))), 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await expect(b.checkpointStore.reopenAtLatest(scope, () => Promise.resolve([]), 300)).rejects.toThrow('was not acquired within 300 ms');
    expect(Date.now() - started).toBeLessThan(1500);
    release();
    expect(await slow).toBe(true);
  });

  it("hears registrations, unregistrations and activity made by the other instance, never its own", async () => {
    const [a, b] = await pair();
    const onB = firstValueFrom(b.registrations.changes$.pipe(take(3), toArray()));
    const onA = collect(a.registrations.changes$, 300);
    await a.registrations.put({ deviceId: 'd', registeredAt: '2026-01-01T00:00:00.000Z' });
    await a.registrations.recordActivity('d', 5000);
    await a.registrations.recordActivity('d', 4000);
    await a.registrations.delete('d');
    expect(await onB).toEqual<RegistrationChange[]>([
      { type: 'registered', deviceId: 'd', registeredAt: '2026-01-01T00:00:00.000Z' },
      { type: 'activity', deviceId: 'd', atMs: 5000 },
      { type: 'unregistered', deviceId: 'd' },
    ]);
    expect(await onA).toEqual([]);
    await b.registrations.put({ deviceId: 'x', registeredAt: '2026-01-01T00:00:01.000Z' });
    await b.registrations.recordActivity('x', 9000);
    expect(await a.registrations.list()).toEqual([{ deviceId: 'x', registeredAt: '2026-01-01T00:00:01.000Z' }]);
    expect(await a.registrations.activity()).toEqual(new Map([['x', 9000]]));
  });

  it('drops remote messages past the feed capacity with a counted warning instead of queueing them', async () => {
    const [a, b] = await pair({ remoteCapacity: 10 });
    const onB = collect(b.remote$, 300);
    await a.append(Array.from({ length: 50 }, (_, i) => message('d', '0', i + 1)), []);
    expect((await onB).map((m) => m.sequenceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(b.remoteDropped).toBe(40);
    expect(warnings.filter((w) => w.includes('dropped 40 messages of other instances (40 in all)'))).toHaveLength(1);
  });

  it('rejects a command within the command timeout when the server stops answering', async () => {
    const [a] = await pair({ commandTimeoutMs: 300 });
    process.kill(server.pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await expect(a.append([message('d', '0', 1)], [])).rejects.toThrow('Command timed out');
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
  });

  it('fails to open with a clear error naming the redacted URL when Redis is unreachable or refuses the password', async () => {
    const base = { historyLimit: 10, clock: systemClock, logger, connectTimeoutMs: 1000 };
    const refused = openRedisStore({ ...base, url: `redis://:hunter2@127.0.0.1:${server.port}`, password: null });
    await expect(refused).rejects.toThrow(RedisUnavailableError);
    await expect(refused).rejects.toThrow(`Redis at redis://:***@127.0.0.1:${server.port} did not accept the connection within 1000 ms: WRONGPASS`);
    const closed = openRedisStore({ ...base, url: 'redis://127.0.0.1:1', password: 'p@ss word' });
    await expect(closed).rejects.toThrow('Redis at redis://127.0.0.1:1 did not accept the connection within 1000 ms: connect ECONNREFUSED');
    const viaPassword = await openRedisStore({ ...base, url: `redis://127.0.0.1:${server.port}`, password: 'p@ss word' });
    open.push(viaPassword);
    expect(await viaPassword.latest('nobody')).toBeUndefined();
    expect(warnings.join('\n')).not.toMatch(/hunter2|p@ss/);
  });
});
