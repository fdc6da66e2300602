import type { Checkpoint, PartitionOwnership } from '@azure/event-hubs';
import type { Clock } from '../../config/clock.js';
import { MemoryCheckpointStore } from '../memory-checkpoint-store.js';
import type { CheckpointScope, GatewayCheckpointStore } from '../telemetry-store.js';
import type { EmbeddedDatabase } from './embedded-database.js';

type ScopeKey = [string, string, string];
const scopeKey = (c: CheckpointScope): ScopeKey => [c.fullyQualifiedNamespace, c.eventHubName, c.consumerGroup];
/** Past every partition ID of a scope in the ordered keys. */
const END = '\uffff';

/**
 * The SDK's `CheckpointStore` (`@azure/event-hubs` eventProcessor.d.ts) over the embedded database: checkpoints and
 * the idle mark in the file, so a restart resumes from them. Ownerships stay in memory (etag checks as the Blob store
 * does): one process uses the file, so a previous process's ownerships belong to a dead owner and, kept, would only
 * delay the restarted load balancer by `PARTITION_OWNERSHIP_EXPIRY`. The `reopenAtLatest` lock is in-process.
 */
export class EmbeddedCheckpointStore implements GatewayCheckpointStore {
  private readonly ownerships: MemoryCheckpointStore;
  private lock: Promise<void> = Promise.resolve();

  /** @param clock source of ownership times and of the lock's timeout. */
  constructor(private readonly db: EmbeddedDatabase, private readonly clock: Clock) {
    this.ownerships = new MemoryCheckpointStore(clock);
  }

  listOwnership(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<PartitionOwnership[]> {
    return this.ownerships.listOwnership(fullyQualifiedNamespace, eventHubName, consumerGroup);
  }

  claimOwnership(requests: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    return this.ownerships.claimOwnership(requests);
  }

  release(partitionId: string): Promise<void> {
    return this.ownerships.release(partitionId);
  }

  async updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    await this.db.root.transaction(() => this.recordInTransaction([checkpoint]));
  }

  listCheckpoints(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<Checkpoint[]> {
    const start = scopeKey({ fullyQualifiedNamespace, eventHubName, consumerGroup });
    const range = this.db.checkpoints.getRange({ start, end: [...start, END] });
    return Promise.resolve(Array.from(range, ({ value }) => ({ ...value })));
  }

  /**
   * Writes checkpoints inside the caller's lmdb transaction; one at or behind the stored sequence number of its
   * partition is ignored.
   */
  recordInTransaction(checkpoints: readonly Checkpoint[]): void {
    for (const checkpoint of checkpoints) {
      const key: [string, string, string, string] = [...scopeKey(checkpoint), checkpoint.partitionId];
      const previous = this.db.checkpoints.get(key);
      if (!previous || checkpoint.sequenceNumber > previous.sequenceNumber) void this.db.checkpoints.put(key, { ...checkpoint });
    }
  }

  async markIdle(): Promise<void> {
    await this.db.meta.put('idle', true);
  }

  /** Whether the idle mark is set (read from the file). */
  isIdle(): boolean {
    return this.db.meta.get('idle') === true;
  }

  async reopenAtLatest(scope: CheckpointScope, latest: () => Promise<Checkpoint[]>, timeoutMs: number): Promise<boolean> {
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const turn = this.lock;
    this.lock = turn.then(() => mine);
    try {
      await this.within(turn, timeoutMs);
      if (!this.isIdle()) return false;
      const checkpoints = await latest();
      const start = scopeKey(scope);
      await this.db.root.transaction(() => {
        for (const key of this.db.checkpoints.getKeys({ start, end: [...start, END] })) void this.db.checkpoints.remove(key);
        for (const c of checkpoints) void this.db.checkpoints.put([...scopeKey(c), c.partitionId], { ...c });
        void this.db.meta.remove('idle');
      });
      return true;
    } finally {
      release();
    }
  }

  /** Resolves when `turn` does. @throws Error when that takes longer than `timeoutMs`. */
  private within(turn: Promise<void>, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => reject(new Error(`checkpoint lock not acquired within ${timeoutMs} ms`)), timeoutMs);
      void turn.then(() => {
        timer.cancel();
        resolve();
      });
    });
  }
}
