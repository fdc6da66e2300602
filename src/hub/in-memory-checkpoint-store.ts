import { randomUUID } from 'node:crypto';
import type { Checkpoint, CheckpointStore, PartitionOwnership } from '@azure/event-hubs';

/**
 * The Event Hubs SDK's `CheckpointStore` contract (`@azure/event-hubs` eventProcessor.d.ts), kept in memory for one
 * consumer's lifetime. Checkpoints let the SDK restart a partition pump at the last stored event instead of the start
 * position after its retries run out (see shared/docs/event-hubs-amqp.md "Recovery"). A fresh store is made on every
 * reopen, so a reactivated consumer starts at `latest`. Ownership claims follow optimistic concurrency on `etag`.
 */
export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly ownerships = new Map<string, PartitionOwnership>();
  private readonly checkpoints = new Map<string, Checkpoint>();

  listOwnership(): Promise<PartitionOwnership[]> {
    return Promise.resolve([...this.ownerships.values()].map((o) => ({ ...o })));
  }

  claimOwnership(requests: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    const claimed: PartitionOwnership[] = [];
    for (const request of requests) {
      const current = this.ownerships.get(request.partitionId);
      if (current && current.etag !== request.etag) continue;
      const next = { ...request, etag: randomUUID(), lastModifiedTimeInMs: Date.now() };
      this.ownerships.set(request.partitionId, next);
      claimed.push({ ...next });
    }
    return Promise.resolve(claimed);
  }

  updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const previous = this.checkpoints.get(checkpoint.partitionId);
    if (!previous || checkpoint.sequenceNumber >= previous.sequenceNumber) {
      this.checkpoints.set(checkpoint.partitionId, { ...checkpoint });
    }
    return Promise.resolve();
  }

  /**
   * Drops our ownership of a partition whose pump stopped (`processClose`), so the load balancer's next pass (every
   * `updateIntervalInMs`) claims it again and restarts its pump from the checkpoint. Without this, the SDK neither
   * renews nor reclaims a partition it owns but no longer reads until the ownership expires (60 s by default).
   */
  release(partitionId: string): void {
    this.ownerships.delete(partitionId);
  }

  listCheckpoints(): Promise<Checkpoint[]> {
    return Promise.resolve([...this.checkpoints.values()].map((c) => ({ ...c })));
  }
}
