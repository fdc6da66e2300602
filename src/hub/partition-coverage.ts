import type { PartitionOwnership } from '@azure/event-hubs';
import type { Clock, ClockTimer } from '../config/clock.js';

/** Options of {@link PartitionCoverage}. */
export interface PartitionCoverageOptions {
  clock: Clock;
  /** `PARTITION_OWNERSHIP_EXPIRY` in ms: an ownership not renewed for this long is expired (the SDK's rule). */
  ownershipExpiryMs: number;
  /** Called when a hand-over's grace ends (the health may change). */
  onChange(): void;
}

/**
 * Which partitions other gateway instances read, from the shared checkpoint store's ownerships (the SDK load
 * balancer's records): a partition is covered elsewhere while another owner's ownership was unexpired at the last
 * read, and for a grace after that (its owner stopped, or this instance just lost it to another reader) while the
 * load balancer moves it. A single instance never sees another owner, so nothing is ever covered elsewhere.
 */
export class PartitionCoverage {
  private elsewhere = new Set<string>();
  private readonly graceUntil = new Map<string, ClockTimer>();
  private graceMs = 0;

  constructor(private readonly o: PartitionCoverageOptions) {}

  /** Sets the hand-over grace in ms: how long the load balancer may take to move a partition. */
  setGrace(ms: number): void {
    this.graceMs = ms;
  }

  /** The ownerships just read from the store; `ownerId` is this instance's (the SDK client's `identifier`). */
  observe(ownerships: readonly PartitionOwnership[], ownerId: string): void {
    const now = this.o.clock.now();
    const next = new Set<string>();
    for (const o of ownerships) {
      const fresh = o.lastModifiedTimeInMs !== undefined && now - o.lastModifiedTimeInMs < this.o.ownershipExpiryMs;
      if (o.ownerId && o.ownerId !== ownerId && fresh) next.add(o.partitionId);
    }
    for (const id of this.elsewhere) if (!next.has(id)) this.handOver(id);
    this.elsewhere = next;
  }

  /** The partition is moving (this instance lost it to another reader, or its owner let it go): covered for the grace. */
  handOver(partitionId: string): void {
    this.graceUntil.get(partitionId)?.cancel();
    const timer = this.o.clock.setTimeout(() => {
      this.graceUntil.delete(partitionId);
      this.o.onChange();
    }, this.graceMs);
    this.graceUntil.set(partitionId, timer);
  }

  /** Whether another instance reads the partition, or is taking it over. */
  covered(partitionId: string): boolean {
    return this.elsewhere.has(partitionId) || this.graceUntil.has(partitionId);
  }

  /** Forgets everything (the consumer closed or reopens). */
  clear(): void {
    for (const timer of this.graceUntil.values()) timer.cancel();
    this.graceUntil.clear();
    this.elsewhere.clear();
  }
}
