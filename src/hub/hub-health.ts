import type { HubState } from '../gateway-services.js';

/** The consumer's state and, when not `connected`/`closed`, why. */
export interface HubStatus {
  state: HubState;
  reason: string | null;
}

/**
 * Tracks the one consumer's health from the SDK's callbacks (Event Hubs `subscribe` handlers): `connected` once
 * every partition (count from `getPartitionIds`) was initialised and delivered its first batch (empty batches come
 * every `maxWaitTimeInSeconds`, so the receiver link is attached by then) and no error is pending; `error` while a
 * `processError` is unrecovered (a partition's error clears when that partition delivers a batch again, empty
 * batches included; a hub-wide error clears on the next initialise or batch); `connecting` otherwise.
 */
export class HubHealth {
  private partitionIds: readonly string[] | null = null;
  private readonly initialised = new Set<string>();
  private readonly partitionErrors = new Map<string, string>();
  private hubError: string | null = null;
  private open = false;

  /** Starts tracking a newly opened consumer (everything cleared). */
  reset(open: boolean): void {
    this.open = open;
    this.partitionIds = null;
    this.initialised.clear();
    this.partitionErrors.clear();
    this.hubError = null;
  }

  /** The partition IDs from `getPartitionIds` (the count `connected` waits for). */
  setPartitionIds(ids: readonly string[]): void {
    this.partitionIds = ids;
  }

  /**
   * `processInitialize`: the partition's pump starts. It counts as read only from its first batch, since the SDK
   * attaches the receiver link (the start position) after initialising it.
   */
  partitionInitialised(partitionId: string): void {
    this.initialised.delete(partitionId);
    this.partitionErrors.delete(partitionId);
    this.hubError = null;
  }

  /** `processEvents` (empty batches included): the partition is read, its error (and any hub-wide one) recovered. */
  batch(partitionId: string): void {
    this.initialised.add(partitionId);
    this.partitionErrors.delete(partitionId);
    this.hubError = null;
  }

  /** `processClose`: the partition's pump stopped (`Shutdown` or `OwnershipLost`). */
  closed(partitionId: string): void {
    this.initialised.delete(partitionId);
  }

  /** Records an error; `partitionId` empty for a hub-wide one. */
  error(partitionId: string, reason: string): void {
    if (partitionId) this.partitionErrors.set(partitionId, reason);
    else this.hubError = reason;
  }

  /** The state now. */
  status(): HubStatus {
    if (!this.open) return { state: 'closed', reason: null };
    const error = this.hubError ?? this.partitionErrors.values().next().value;
    if (error) return { state: 'error', reason: error };
    const ids = this.partitionIds;
    if (ids && ids.length > 0 && ids.every((id) => this.initialised.has(id))) return { state: 'connected', reason: null };
    const waiting = ids ? `${ids.filter((id) => !this.initialised.has(id)).length} of ${ids.length} partitions` : 'partition list';
    return { state: 'connecting', reason: `waiting for ${waiting}` };
  }
}
