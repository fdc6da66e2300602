import type { Checkpoint } from '@azure/event-hubs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelemetryStore } from '../../../src/store/telemetry-store.js';
import type { TelemetryMessage } from '../../../src/telemetry/telemetry-message.js';

const T0 = Date.UTC(2026, 0, 1);

/** A telemetry message of `deviceId` at `partitionId:sequenceNumber`, enqueued `sequenceNumber` seconds after T0. */
export function message(deviceId: string, partitionId: string, sequenceNumber: number): TelemetryMessage {
  return {
    deviceId, moduleId: null, enqueuedTime: new Date(T0 + sequenceNumber * 1000).toISOString(), partitionId,
    sequenceNumber, offset: String(sequenceNumber * 100), contentType: 'application/json', contentEncoding: 'utf-8',
    messageId: null, properties: {}, creationTime: null, body: { n: sequenceNumber }, bodyEncoding: 'json',
  };
}

const scope = { fullyQualifiedNamespace: 'ns.example', eventHubName: 'hub', consumerGroup: '$Default' };
const checkpoint = (partitionId: string, sequenceNumber: number): Checkpoint => ({
  ...scope, partitionId, sequenceNumber, offset: String(sequenceNumber * 100),
});
const positions = (messages: readonly TelemetryMessage[]) => messages.map((m) => `${m.partitionId}:${m.sequenceNumber}`);

/**
 * The behaviour every {@link TelemetryStore} backend must show. `create(historyLimit)` makes an empty store;
 * `reopen(historyLimit)`, for backends that keep registrations, opens one on what the last created store kept (its
 * file, directory or key prefix), as a restart does. The suite closes every store after each test.
 */
export function describeTelemetryStoreContract(
  name: string,
  create: (historyLimit: number) => Promise<TelemetryStore>,
  reopen?: (historyLimit: number) => Promise<TelemetryStore>,
): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    let store: TelemetryStore;
    beforeEach(async () => {
      store = await create(5);
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores in order and skips duplicates by device, partition and sequence number, within and across batches', async () => {
      const first = await store.append([message('a', '0', 1), message('a', '0', 2), message('a', '0', 2), message('a', '1', 2)], []);
      expect(positions(first)).toEqual(['0:1', '0:2', '1:2']);
      const second = await store.append([message('a', '0', 1), message('a', '0', 3), message('b', '0', 3)], []);
      expect(positions(second)).toEqual(['0:3', '0:3']);
      expect(second.map((m) => m.deviceId)).toEqual(['a', 'b']);
      expect((await store.latest('a'))?.sequenceNumber).toBe(3);
      expect(await store.latest('nobody')).toBeUndefined();
    });

    it('keeps bodyFormat and base64 bodies as they were appended', async () => {
      const decoded = { ...message('a', '0', 1), body: { t: 1 }, bodyFormat: ['gzip', 'cbor'] };
      const raw = { ...message('a', '0', 2), body: 'H4sI', bodyEncoding: 'base64' as const };
      await store.append([decoded, raw], []);
      const history = await store.history('a', { limit: 100 });
      expect(history).toEqual([raw, decoded]);
      expect(history[1]?.bodyFormat).toEqual(['gzip', 'cbor']);
      expect(Object.hasOwn(history[0] as object, 'bodyFormat')).toBe(false);
      expect((await store.latest('a'))?.bodyFormat).toBeUndefined();
    });

    it('answers history newest first within inclusive times and the limit, holding at most the history limit', async () => {
      await store.append([1, 2, 3, 4, 5, 6, 7].map((n) => message('a', '0', n)), []);
      expect(positions(await store.history('a', { limit: 100 }))).toEqual(['0:7', '0:6', '0:5', '0:4', '0:3']);
      expect(positions(await store.history('a', { limit: 2 }))).toEqual(['0:7', '0:6']);
      const at = (n: number) => new Date(T0 + n * 1000).toISOString();
      expect(positions(await store.history('a', { since: at(4), until: at(6), limit: 100 }))).toEqual(['0:6', '0:5', '0:4']);
      expect(await store.history('a', { since: at(8), limit: 100 })).toEqual([]);
      expect(await store.history('nobody', { limit: 100 })).toEqual([]);
    });

    it('finds what follows a held position, and reports an evicted or unknown one with the whole history', async () => {
      await store.append([1, 2, 3, 4, 5, 6, 7].map((n) => message('a', '0', n)), []);
      expect(await store.after('a', '0:5')).toEqual({ found: true, messages: [message('a', '0', 6), message('a', '0', 7)] });
      expect(await store.after('a', '0:7')).toEqual({ found: true, messages: [] });
      const evicted = await store.after('a', '0:1');
      expect(evicted.found).toBe(false);
      expect(positions(evicted.messages)).toEqual(['0:3', '0:4', '0:5', '0:6', '0:7']);
      expect((await store.after('a', 'not a position')).found).toBe(false);
      expect((await store.after('a', '0:05')).found).toBe(false);
      expect(await store.after('nobody', '0:1')).toEqual({ found: false, messages: [] });
    });

    it('forgets a removed device', async () => {
      await store.append([message('a', '0', 1), message('b', '0', 1)], []);
      await store.remove('a');
      expect(await store.latest('a')).toBeUndefined();
      expect(await store.history('a', { limit: 10 })).toEqual([]);
      expect((await store.latest('b'))?.sequenceNumber).toBe(1);
    });

    it('records checkpoints with the batch, only forward, per partition and scope, also for a batch with nothing stored', async () => {
      await store.append([message('a', '0', 4)], [checkpoint('0', 4)]);
      await store.append([], [checkpoint('1', 9)]);
      await store.append([message('a', '0', 4)], [checkpoint('0', 2)]);
      const listed = await store.checkpointStore.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
      expect(listed.sort((x, y) => x.partitionId.localeCompare(y.partitionId))).toEqual([checkpoint('0', 4), checkpoint('1', 9)]);
      expect(await store.checkpointStore.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, 'other')).toEqual([]);
    });

    it('claims ownership only with the current etag', async () => {
      const request = { ...scope, partitionId: '0', ownerId: 'me', etag: undefined };
      const [claimed] = await store.checkpointStore.claimOwnership([request]);
      expect(claimed?.ownerId).toBe('me');
      expect(typeof claimed?.etag).toBe('string');
      expect(await store.checkpointStore.claimOwnership([{ ...request, ownerId: 'other', etag: 'stale' }])).toEqual([]);
      const [again] = await store.checkpointStore.claimOwnership([{ ...request, ownerId: 'other', etag: claimed?.etag }]);
      expect(again?.ownerId).toBe('other');
      const owners = await store.checkpointStore.listOwnership(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
      expect(owners.map((o) => o.ownerId)).toEqual(['other']);
    });

    it('reopens at latest only after markIdle: the checkpoints of the scope are replaced once, then the mark is gone', async () => {
      await store.append([], [checkpoint('0', 4), checkpoint('1', 9), { ...checkpoint('0', 3), consumerGroup: 'other' }]);
      const latest = () => Promise.resolve([checkpoint('0', 40)]);
      expect(await store.checkpointStore.reopenAtLatest(scope, latest, 1000)).toBe(false);
      await store.checkpointStore.markIdle();
      expect(await store.checkpointStore.reopenAtLatest(scope, latest, 1000)).toBe(true);
      expect(await store.checkpointStore.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup)).toEqual([checkpoint('0', 40)]);
      expect(await store.checkpointStore.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, 'other')).toEqual([{ ...checkpoint('0', 3), consumerGroup: 'other' }]);
      expect(await store.checkpointStore.reopenAtLatest(scope, () => Promise.resolve([]), 1000)).toBe(false);
    });

    it('keeps the idle mark when resolving latest fails', async () => {
      await store.checkpointStore.markIdle();
      await expect(store.checkpointStore.reopenAtLatest(scope, () => Promise.reject(new Error('hub down')), 1000)).rejects.toThrow('hub down');
      expect(await store.checkpointStore.reopenAtLatest(scope, () => Promise.resolve([]), 1000)).toBe(true);
    });

    it('releases the ownership it claimed', async () => {
      const [claimed] = await store.checkpointStore.claimOwnership([{ ...scope, partitionId: '0', ownerId: 'me', etag: undefined }]);
      expect(claimed).toBeDefined();
      await store.checkpointStore.release('0');
      // Released: no ownership left with an owner (the Blob store keeps the blob with an empty owner, as the SDK does).
      const owners = await store.checkpointStore.listOwnership(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
      expect(owners.filter((o) => o.ownerId !== '')).toEqual([]);
    });

    it('keeps registrations in order, replaces one of the same device ID and forgets a deleted one', async () => {
      await store.registrations.put({ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z' });
      await store.registrations.put({ deviceId: 'b', registeredAt: '2026-01-01T00:00:01.000Z' });
      await store.registrations.put({ deviceId: 'a', registeredAt: '2026-01-01T00:00:02.000Z' });
      await store.registrations.delete('nobody');
      const ids = (await store.registrations.list()).map((r) => r.deviceId);
      expect(ids.sort()).toEqual(['a', 'b']);
      expect((await store.registrations.list()).find((r) => r.deviceId === 'a')?.registeredAt).toBe('2026-01-01T00:00:02.000Z');
      await store.registrations.delete('a');
      expect(await store.registrations.list()).toEqual([{ deviceId: 'b', registeredAt: '2026-01-01T00:00:01.000Z' }]);
    });

    it('keeps units with a registration, replaces them on a new put, drops them with a put without units', async () => {
      await store.registrations.put({ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z', units: { voltage: 'V', 'power.active': 'kW' } });
      await store.registrations.put({ deviceId: 'b', registeredAt: '2026-01-01T00:00:01.000Z' });
      expect(await store.registrations.list()).toEqual([
        { deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z', units: { voltage: 'V', 'power.active': 'kW' } },
        { deviceId: 'b', registeredAt: '2026-01-01T00:00:01.000Z' },
      ]);
      await store.registrations.put({ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z', units: { current: 'A' } });
      await store.registrations.put({ deviceId: 'b', registeredAt: '2026-01-01T00:00:01.000Z', units: {} });
      expect(await store.registrations.list()).toEqual([
        { deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z', units: { current: 'A' } },
        { deviceId: 'b', registeredAt: '2026-01-01T00:00:01.000Z', units: {} },
      ]);
      await store.registrations.put({ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z' });
      expect((await store.registrations.list())[0]).toStrictEqual({ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z' });
    });

    it.runIf(reopen !== undefined)('keeps registrations with their units across a restart, and forgets units with a deleted registration', async () => {
      await store.registrations.put({ deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z', units: { voltages: 'V' } });
      await store.registrations.put({ deviceId: 'b', registeredAt: '2026-01-01T00:00:01.000Z', units: { current: 'A' } });
      await store.registrations.delete('b');
      await store.registrations.put({ deviceId: 'b', registeredAt: '2026-01-01T00:00:02.000Z' });
      await store.close();
      store = await (reopen as NonNullable<typeof reopen>)(5);
      expect(await store.registrations.list()).toStrictEqual([
        { deviceId: 'a', registeredAt: '2026-01-01T00:00:00.000Z', units: { voltages: 'V' } },
        { deviceId: 'b', registeredAt: '2026-01-01T00:00:02.000Z' },
      ]);
    });
  });
}
