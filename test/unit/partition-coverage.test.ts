import { describe, expect, it } from 'vitest';
import { HubHealth } from '../../src/hub/hub-health.js';
import { PartitionCoverage } from '../../src/hub/partition-coverage.js';
import { PartitionProgress } from '../../src/hub/partition-progress.js';
import { retentionGap } from '../../src/hub/retention-gap.js';
import { FakeClock } from '../support/fake-clock.js';

const own = (partitionId: string, ownerId: string, lastModifiedTimeInMs: number) =>
  ({ fullyQualifiedNamespace: 'ns', eventHubName: 'h', consumerGroup: '$Default', partitionId, ownerId, lastModifiedTimeInMs });

describe('HubHealth with partitions shared between instances', () => {
  function setup() {
    const clock = new FakeClock();
    let changes = 0;
    const coverage = new PartitionCoverage({ clock, ownershipExpiryMs: 10_000, onChange: () => (changes += 1) });
    coverage.setGrace(5_000);
    const health = new HubHealth(() => null, (id) => coverage.covered(id));
    health.reset(true);
    health.setPartitionIds(['0', '1', '2', '3']);
    return { clock, coverage, health, changes: () => changes };
  }
  const read = (health: HubHealth, ...ids: string[]) => ids.forEach((id) => (health.partitionInitialised(id), health.batch(id)));

  it('is connected when every partition is read here or owned elsewhere, unexpired; an expired or abandoned one is waited for', () => {
    const { clock, coverage, health } = setup();
    read(health, '0', '1');
    expect(health.status()).toEqual({ state: 'connecting', reason: 'waiting for 2 of 4 partitions', detail: 'waiting for 2 of 4 partitions' });
    const now = clock.now();
    coverage.observe([own('0', 'me', now), own('1', 'me', now), own('2', 'other', now - 9_999), own('3', '', now)], 'me');
    expect(health.status()).toEqual({ state: 'connecting', reason: 'waiting for 1 of 4 partitions', detail: 'waiting for 1 of 4 partitions' });
    coverage.observe([own('2', 'other', now), own('3', 'other', now - 10_000)], 'me');
    expect(health.status().reason).toBe('waiting for 1 of 4 partitions');
    coverage.observe([own('2', 'other', now), own('3', 'other', now)], 'me');
    expect(health.status()).toEqual({ state: 'connected', reason: null, detail: null });
    // An error of a partition another instance reads is left to that instance; one read here counts.
    health.error('2', { kind: 'hub_error', detail: 'link detached' });
    expect(health.status().state).toBe('connected');
    health.error('0', { kind: 'hub_error', detail: 'link detached' });
    expect(health.status().state).toBe('error');
  });

  it('a partition handed over, or whose owner let it go, stays covered for the grace, then is waited for', () => {
    const { clock, coverage, health, changes } = setup();
    read(health, '0', '1');
    coverage.observe([own('2', 'other', clock.now()), own('3', 'other', clock.now())], 'me');
    expect(health.status().state).toBe('connected');
    health.closed('1', true);
    coverage.handOver('1');
    expect(health.status().state).toBe('connected');
    clock.advance(2_000);
    coverage.observe([own('1', 'other', clock.now()), own('2', 'other', clock.now())], 'me');
    expect(health.status().state).toBe('connected');
    clock.advance(4_999);
    expect(health.status().state).toBe('connected');
    expect(changes()).toBe(1);
    clock.advance(1);
    expect(changes()).toBe(2);
    expect(health.status()).toEqual({ state: 'connecting', reason: 'waiting for 1 of 4 partitions', detail: 'waiting for 1 of 4 partitions' });
    read(health, '3');
    expect(health.status().state).toBe('connected');
  });

  it('a single instance (no other owner) is connected only once it reads every partition', () => {
    const { clock, coverage, health } = setup();
    coverage.observe(['0', '1', '2', '3'].map((id) => own(id, 'me', clock.now())), 'me');
    read(health, '0', '1', '2');
    expect(health.status().reason).toBe('waiting for 1 of 4 partitions');
    health.closed('2');
    expect(health.status().reason).toBe('waiting for 2 of 4 partitions');
  });
});

describe('PartitionProgress with partitions read elsewhere', () => {
  it('never stalls a partition another instance reads, and a start here settles it at the checkpoint', () => {
    const clock = new FakeClock();
    const elsewhere = new Set(['1']);
    const p = new PartitionProgress(clock, 10_000, () => undefined, (id) => elsewhere.has(id));
    p.reset(new Map([['0', 4], ['1', 4]]));
    p.enqueued('0', 9);
    p.enqueued('1', 9);
    clock.advance(10_000);
    expect(p.stalled()).toEqual({ partitionId: '0', delivered: 4, enqueued: 9, sinceMs: clock.now() - 10_000 });
    p.delivered('0', 9);
    expect(p.stalled()).toBeNull();
    elsewhere.delete('1');
    p.started('1', 9);
    clock.advance(60_000);
    expect(p.stalled()).toBeNull();
    p.enqueued('1', 12);
    clock.advance(10_000);
    expect(p.stalled()).toEqual({ partitionId: '1', delivered: 9, enqueued: 12, sinceMs: clock.now() - 10_000 });
  });
});

describe('retentionGap', () => {
  const cp = (sequenceNumber: number) => ({ fullyQualifiedNamespace: 'ns', eventHubName: 'h', consumerGroup: '$Default', partitionId: '2', sequenceNumber, offset: '0' });
  it('counts the events between the checkpoint and the begin sequence number', () => {
    expect(retentionGap('2', cp(2), 8)).toEqual({ partitionId: '2', checkpointSequenceNumber: 2, beginSequenceNumber: 8, lostEvents: 5 });
    expect(retentionGap('2', cp(7), 8)).toBeNull();
    expect(retentionGap('2', cp(9), 8)).toBeNull();
    expect(retentionGap('2', undefined, 8)).toBeNull();
    expect(retentionGap('2', cp(2), undefined)).toBeNull();
  });
});
