import { randomUUID } from 'node:crypto';
import type { Checkpoint, PartitionOwnership } from '@azure/event-hubs';
import type { Clock } from '../config/clock.js';
import type { CheckpointScope, GatewayCheckpointStore } from './telemetry-store.js';

const key = (c: Pick<Checkpoint, 'fullyQualifiedNamespace' | 'eventHubName' | 'consumerGroup' | 'partitionId'>): string =>
  `${c.fullyQualifiedNamespace}/${c.eventHubName}/${c.consumerGroup}/${c.partitionId}`;

const inScope = (fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string) =>
  (c: Pick<Checkpoint, 'fullyQualifiedNamespace' | 'eventHubName' | 'consumerGroup'>): boolean =>
    c.fullyQualifiedNamespace === fullyQualifiedNamespace && c.eventHubName === eventHubName && c.consumerGroup === consumerGroup;

/**
 * The SDK's `CheckpointStore` contract (`@azure/event-hubs` eventProcessor.d.ts) in one process's memory: ownership
 * claims with optimistic concurrency on `etag` (as the Blob store does), checkpoints that only move forward.
 * `record` is how a {@link TelemetryStore} writes checkpoints together with its messages.
 */
export class MemoryCheckpointStore implements GatewayCheckpointStore {
  private readonly ownerships = new Map<string, PartitionOwnership>();
  private readonly checkpoints = new Map<string, Checkpoint>();
  private idle = false;

  /** @param clock source of `lastModifiedTimeInMs` (ms since the epoch). */
  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  listOwnership(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<PartitionOwnership[]> {
    const mine = inScope(fullyQualifiedNamespace, eventHubName, consumerGroup);
    return Promise.resolve([...this.ownerships.values()].filter(mine).map((o) => ({ ...o })));
  }

  claimOwnership(requests: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    const claimed: PartitionOwnership[] = [];
    for (const request of requests) {
      const current = this.ownerships.get(key(request));
      if (current && current.etag !== request.etag) continue;
      const next = { ...request, etag: randomUUID(), lastModifiedTimeInMs: this.clock.now() };
      this.ownerships.set(key(request), next);
      claimed.push({ ...next });
    }
    return Promise.resolve(claimed);
  }

  updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    this.record([checkpoint]);
    return Promise.resolve();
  }

  listCheckpoints(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<Checkpoint[]> {
    const mine = inScope(fullyQualifiedNamespace, eventHubName, consumerGroup);
    return Promise.resolve([...this.checkpoints.values()].filter(mine).map((c) => ({ ...c })));
  }

  /** Records checkpoints synchronously; one at or behind the stored sequence number of its partition is ignored. */
  record(checkpoints: readonly Checkpoint[]): void {
    for (const checkpoint of checkpoints) {
      const previous = this.checkpoints.get(key(checkpoint));
      if (!previous || checkpoint.sequenceNumber > previous.sequenceNumber) this.checkpoints.set(key(checkpoint), { ...checkpoint });
    }
  }

  markIdle(): Promise<void> {
    this.idle = true;
    return Promise.resolve();
  }

  /** One process: no lock to wait for, so `timeoutMs` is not used. */
  async reopenAtLatest(scope: CheckpointScope, latest: () => Promise<Checkpoint[]>): Promise<boolean> {
    if (!this.idle) return false;
    const checkpoints = await latest();
    const mine = inScope(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
    for (const [k, c] of this.checkpoints) if (mine(c)) this.checkpoints.delete(k);
    for (const c of checkpoints) this.checkpoints.set(key(c), { ...c });
    this.idle = false;
    return true;
  }

  /** One process owns every partition, so the partition's ownership is dropped whoever claimed it. */
  release(partitionId: string): Promise<void> {
    for (const [k, o] of this.ownerships) if (o.partitionId === partitionId) this.ownerships.delete(k);
    return Promise.resolve();
  }
}
