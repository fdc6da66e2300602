import { describe, expect, it } from 'vitest';
import { describeHubError } from '../../src/hub/describe-hub-error.js';
import { HubHealth } from '../../src/hub/hub-health.js';
import { MemoryCheckpointStore } from '../../src/store/memory-checkpoint-store.js';
import { FakeClock } from '../support/fake-clock.js';

describe('HubHealth', () => {
  it('is connected only when every partition was initialised and delivered a batch', () => {
    const h = new HubHealth();
    expect(h.status()).toEqual({ state: 'closed', reason: null, detail: null });
    h.reset(true);
    expect(h.status()).toEqual({ state: 'connecting', reason: 'waiting for partition list', detail: 'waiting for partition list' });
    h.setPartitionIds(['0', '1']);
    h.partitionInitialised('0');
    h.partitionInitialised('1');
    expect(h.status()).toEqual({ state: 'connecting', reason: 'waiting for 2 of 2 partitions', detail: 'waiting for 2 of 2 partitions' });
    h.batch('0');
    h.batch('1');
    expect(h.status()).toEqual({ state: 'connected', reason: null, detail: null });
    h.error('1', { kind: 'hub_error', detail: 'link detached' });
    expect(h.status()).toEqual({ state: 'error', reason: 'hub_error', detail: 'link detached' });
    h.batch('1');
    expect(h.status().state).toBe('connected');
    h.closed('0');
    expect(h.status()).toEqual({ state: 'connecting', reason: 'waiting for 1 of 2 partitions', detail: 'waiting for 1 of 2 partitions' });
    h.error('', { kind: 'hub_unreachable', detail: 'ECONNREFUSED: connect ECONNREFUSED 10.0.0.1:5671' });
    expect(h.status()).toEqual({ state: 'error', reason: 'hub_unreachable', detail: 'ECONNREFUSED: connect ECONNREFUSED 10.0.0.1:5671' });
    h.partitionInitialised('0');
    h.batch('0');
    expect(h.status().state).toBe('connected');
    h.reset(false);
    expect(h.status().state).toBe('closed');
  });

  it('drops the error of a partition it stopped reading once another instance reads it, and keeps it otherwise', () => {
    const elsewhere = new Set<string>();
    const h = new HubHealth(() => null, (id) => elsewhere.has(id));
    h.reset(true);
    h.setPartitionIds(['0', '1']);
    for (const id of ['0', '1']) {
      h.partitionInitialised(id);
      h.batch(id);
    }
    // The store did not take a batch of partition 0: its pump stops (Shutdown) and another instance claims it.
    h.closed('0');
    h.error('0', { kind: 'store_error', detail: 'the store did not take the batch of partition 0' });
    expect(h.status()).toEqual({ state: 'error', reason: 'store_error', detail: 'the store did not take the batch of partition 0' });
    elsewhere.add('0');
    expect(h.status()).toEqual({ state: 'connected', reason: null, detail: null });
    // Read here again, the partition's error is this instance's until its next batch.
    elsewhere.delete('0');
    expect(h.status().state).toBe('error');
  });
});

describe('describeHubError', () => {
  it('recognises an unauthorized AggregateError and hides signatures', () => {
    const inner = Object.assign(new Error("Unauthorized: the token for 'sb://h/x' expired"), { code: 'UnauthorizedError' });
    const described = describeHubError(new AggregateError([inner], ''));
    expect(described.unauthorized).toBe(true);
    expect(described.reason).toMatch(/^unauthorized: the hub rejected the connection string's credentials .*expired/);
    const other = describeHubError(Object.assign(new Error('connect ECONNREFUSED SharedAccessSignature=abc;x'), { code: 'ECONNREFUSED' }));
    expect(other).toEqual({ reason: 'ECONNREFUSED: connect ECONNREFUSED SharedAccessSignature=***;x', unauthorized: false, kind: 'hub_unreachable' });
    expect(describeHubError(Object.assign(new Error('link detached'), { code: 'MessagingError' })).kind).toBe('hub_error');
    expect(described.kind).toBe('unauthorized');
  });
});

describe('MemoryCheckpointStore', () => {
  const own = (partitionId: string, etag?: string) => ({ fullyQualifiedNamespace: 'ns', eventHubName: 'h', consumerGroup: '$Default', partitionId, ownerId: 'me', ...(etag ? { etag } : {}) });

  it('claims with etags, releases, keeps the highest checkpoint, and forgets them all when reopened at latest after an idle close', async () => {
    const store = new MemoryCheckpointStore(new FakeClock());
    const [claimed] = await store.claimOwnership([own('0')]);
    expect(claimed?.etag).toBeDefined();
    expect(await store.claimOwnership([own('0', 'stale')])).toEqual([]);
    expect(await store.claimOwnership([own('0', claimed?.etag)])).toHaveLength(1);
    await store.release('0');
    expect(await store.listOwnership('ns', 'h', '$Default')).toEqual([]);
    const cp = { fullyQualifiedNamespace: 'ns', eventHubName: 'h', consumerGroup: '$Default', partitionId: '0' };
    await store.updateCheckpoint({ ...cp, sequenceNumber: 5, offset: '500' });
    await store.updateCheckpoint({ ...cp, sequenceNumber: 3, offset: '300' });
    expect(await store.listCheckpoints('ns', 'h', '$Default')).toEqual([{ ...cp, sequenceNumber: 5, offset: '500' }]);
    await store.markIdle();
    expect(await store.reopenAtLatest({ ...cp }, () => Promise.resolve([]))).toBe(true);
    expect(await store.listCheckpoints('ns', 'h', '$Default')).toEqual([]);
  });
});
