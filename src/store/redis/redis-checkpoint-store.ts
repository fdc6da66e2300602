import { randomUUID } from 'node:crypto';
import type { Checkpoint, PartitionOwnership } from '@azure/event-hubs';
import type { Redis } from 'ioredis';
import type { Clock } from '../../config/clock.js';
import type { CheckpointScope, GatewayCheckpointStore } from '../telemetry-store.js';
import { withLock } from './redis-lock.js';
import type { RedisKeys } from './redis-keys.js';
import type { StoreScripts } from './redis-scripts.js';

/** An ownership as stored in the ownerships hash (the scope and partition are in the key and field). */
interface StoredOwnership {
  ownerId: string;
  etag: string;
  lastModifiedTimeInMs: number;
}

const scopeOf = (c: CheckpointScope): CheckpointScope => ({
  fullyQualifiedNamespace: c.fullyQualifiedNamespace, eventHubName: c.eventHubName, consumerGroup: c.consumerGroup,
});

/**
 * The SDK's `CheckpointStore` contract (`@azure/event-hubs` eventProcessor.d.ts) on Redis, with the Blob store's
 * optimistic concurrency: a claim succeeds only while the ownership's etag is unchanged (a Lua compare-and-set
 * stamping a new etag and the Redis server's TIME as `lastModifiedTimeInMs`). Ownerships and checkpoints are
 * hashes per namespace / event hub / consumer group. Checkpoints are written with the messages by the telemetry
 * store's append script (also through `updateCheckpoint`), only forward. The idle mark and the reopen lock are
 * shared by every instance.
 */
export class RedisCheckpointStore implements GatewayCheckpointStore {
  /** The etag of each ownership this instance last claimed, by ownerships key and partition. */
  private readonly held = new Map<string, { key: string; partitionId: string; etag: string }>();

  /**
   * @param append writes checkpoints the way the telemetry store's append does (no messages).
   * @param clock paces the reopen lock's retries.
   */
  constructor(
    private readonly client: Redis,
    private readonly scripts: StoreScripts,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly append: (checkpoints: readonly Checkpoint[]) => Promise<unknown>,
  ) {}

  async listOwnership(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<PartitionOwnership[]> {
    const scope = { fullyQualifiedNamespace, eventHubName, consumerGroup };
    const stored = await this.client.hgetall(this.keys.ownerships(scope));
    return Object.entries(stored).map(([partitionId, json]) => ({ ...scope, partitionId, ...(JSON.parse(json) as StoredOwnership) }));
  }

  async claimOwnership(requests: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    const byKey = new Map<string, PartitionOwnership[]>();
    for (const r of requests) {
      const key = this.keys.ownerships(r);
      byKey.set(key, [...(byKey.get(key) ?? []), r]);
    }
    const claimed: PartitionOwnership[] = [];
    for (const [key, group] of byKey) {
      const etags = group.map(() => randomUUID());
      const args = group.flatMap((r, i) => [r.partitionId, r.etag ?? '', etags[i] as string, r.ownerId]);
      const [now, partitions] = (await this.scripts.claim([key], args)) as [number, string[]];
      const won = new Set(partitions);
      group.forEach((r, i) => {
        if (!won.has(r.partitionId)) return;
        const etag = etags[i] as string;
        this.held.set(`${key}\n${r.partitionId}`, { key, partitionId: r.partitionId, etag });
        claimed.push({ ...scopeOf(r), partitionId: r.partitionId, ownerId: r.ownerId, etag, lastModifiedTimeInMs: now });
      });
    }
    return claimed;
  }

  async updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    await this.append([checkpoint]);
  }

  async listCheckpoints(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<Checkpoint[]> {
    const stored = await this.client.hgetall(this.keys.checkpoints({ fullyQualifiedNamespace, eventHubName, consumerGroup }));
    return Object.values(stored).map((json) => JSON.parse(json) as Checkpoint);
  }

  /** Deletes the partition's ownership in every scope where this instance holds it still (etag unchanged). */
  async release(partitionId: string): Promise<void> {
    for (const [id, held] of this.held) {
      if (held.partitionId !== partitionId) continue;
      this.held.delete(id);
      await this.scripts.release([held.key], [partitionId, held.etag]).catch(() => undefined);
    }
  }

  async markIdle(): Promise<void> {
    await this.client.set(this.keys.idle, '1');
  }

  /** Under the cluster-wide reopen lock (lease `timeoutMs`): only the first instance after the mark calls `latest`. */
  reopenAtLatest(scope: CheckpointScope, latest: () => Promise<Checkpoint[]>, timeoutMs: number): Promise<boolean> {
    const lock = { client: this.client, scripts: this.scripts, clock: this.clock };
    return withLock(lock, this.keys.reopenLock, { timeoutMs, leaseMs: timeoutMs }, async (token) => {
      if ((await this.client.exists(this.keys.idle)) === 0) return false;
      const checkpoints = await latest();
      const args = [token, ...checkpoints.flatMap((c) => [c.partitionId, JSON.stringify({ ...scopeOf(scope), partitionId: c.partitionId, sequenceNumber: c.sequenceNumber, offset: c.offset })])];
      await this.scripts.replaceCheckpoints([this.keys.reopenLock, this.keys.idle, this.keys.checkpoints(scope)], args);
      return true;
    });
  }
}
