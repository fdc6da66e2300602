import type { Checkpoint, PartitionOwnership } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import type { CheckpointScope, GatewayCheckpointStore } from '../telemetry-store.js';
import type { BlobContainer } from './blob-container.js';
import { withBlobLease } from './blob-lease-lock.js';
import { checkpointBlob, GATEWAY_BLOBS } from './blob-names.js';
import { writeForward } from './forward-checkpoint.js';

const ownershipKey = (o: Pick<PartitionOwnership, keyof CheckpointScope | 'partitionId'>): string =>
  `${o.fullyQualifiedNamespace}/${o.eventHubName}/${o.consumerGroup}/${o.partitionId}`.toLowerCase();
const scopeName = (s: CheckpointScope): string => `${s.fullyQualifiedNamespace}/${s.eventHubName}/${s.consumerGroup}`;

/**
 * The {@link GatewayCheckpointStore} on Azure Blob storage, through the official `BlobCheckpointStore`
 * (@azure/eventhubs-checkpointstore-blob 2.0.0) so the blobs are exactly the SDK's: ownerships (metadata `ownerid`,
 * claimed with If-Match on the etag) and checkpoints (metadata `sequencenumber`, `offset`) under
 * `<namespace>/<event hub>/<consumer group>/`, which other Event Hubs consumers and KEDA read. Checkpoints only move
 * forward (see `forward-checkpoint.ts`). `release` gives an ownership up as the SDK does when a subscription closes
 * (`abandonPartitionOwnerships`: the same blob with `ownerid` empty, If-Match the etag this instance got). The idle
 * mark is the blob `gateway/idle`, and `reopenAtLatest` runs under the Blob lease of `gateway/reopen-lock` (see
 * `blob-lease-lock.ts`). Every call is bounded by the container's timeout and fails with `CheckpointStoreError`.
 */
export class BlobGatewayCheckpointStore implements GatewayCheckpointStore {
  private readonly sdk: BlobCheckpointStore;
  /** The ownerships this instance claimed last, by scope and partition (bounded by the partitions it claims). */
  private readonly held = new Map<string, PartitionOwnership>();

  constructor(private readonly container: BlobContainer) {
    this.sdk = new BlobCheckpointStore(container.client);
  }

  listOwnership(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<PartitionOwnership[]> {
    const scope = { fullyQualifiedNamespace, eventHubName, consumerGroup };
    return this.container.call(`listing the ownerships of ${scopeName(scope)}`, (abortSignal) =>
      this.sdk.listOwnership(fullyQualifiedNamespace, eventHubName, consumerGroup, { abortSignal }));
  }

  async claimOwnership(requests: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    const claimed = await this.container.call(`claiming ${requests.length} ownerships`, (abortSignal) =>
      this.sdk.claimOwnership(requests.map((r) => ({ ...r })), { abortSignal }));
    for (const o of claimed) {
      if (o.ownerId) this.held.set(ownershipKey(o), { ...o });
      else this.held.delete(ownershipKey(o));
    }
    return claimed;
  }

  updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    return writeForward(this.container, checkpoint);
  }

  listCheckpoints(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<Checkpoint[]> {
    const scope = { fullyQualifiedNamespace, eventHubName, consumerGroup };
    return this.container.call(`listing the checkpoints of ${scopeName(scope)}`, (abortSignal) =>
      this.sdk.listCheckpoints(fullyQualifiedNamespace, eventHubName, consumerGroup, { abortSignal }));
  }

  /** An ownership whose etag changed since this instance claimed it is another's now: the SDK's 412 leaves it alone. */
  async release(partitionId: string): Promise<void> {
    for (const [key, held] of this.held) {
      if (held.partitionId !== partitionId) continue;
      this.held.delete(key);
      await this.container.call(`releasing the ownership of partition ${partitionId}`, (abortSignal) =>
        this.sdk.claimOwnership([{ ...held, ownerId: '' }], { abortSignal })).catch(() => undefined);
    }
  }

  async markIdle(): Promise<void> {
    const blob = this.container.client.getBlockBlobClient(GATEWAY_BLOBS.idle);
    await this.container.call('setting the idle mark', (abortSignal) => blob.upload('', 0, { abortSignal }));
  }

  /** Under the reopen lease, shared by every instance using the container (lease and wait `timeoutMs`). */
  reopenAtLatest(scope: CheckpointScope, latest: () => Promise<Checkpoint[]>, timeoutMs: number): Promise<boolean> {
    return withBlobLease(this.container, GATEWAY_BLOBS.reopenLock, timeoutMs, async (lease) => {
      const idle = this.container.client.getBlockBlobClient(GATEWAY_BLOBS.idle);
      if (!(await this.container.call('reading the idle mark', (abortSignal) => idle.exists({ abortSignal })))) return false;
      const next = (await latest()).map((c) => ({ ...scope, partitionId: c.partitionId, sequenceNumber: c.sequenceNumber, offset: c.offset }));
      await lease.confirm();
      const kept = new Set(next.map((c) => c.partitionId));
      for (const stale of await this.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup)) {
        if (kept.has(stale.partitionId)) continue;
        const blob = this.container.client.getBlockBlobClient(checkpointBlob(stale));
        await this.container.call(`deleting checkpoint of partition ${stale.partitionId}`, (abortSignal) => blob.deleteIfExists({ abortSignal }));
      }
      for (const c of next) await this.container.call(`replacing checkpoint of partition ${c.partitionId}`, (abortSignal) => this.sdk.updateCheckpoint(c, { abortSignal }));
      await this.container.call('clearing the idle mark', (abortSignal) => idle.deleteIfExists({ abortSignal }));
      return true;
    });
  }
}
