import type { Clock, ClockTimer } from '../config/clock.js';

interface Partition {
  /** Highest sequence number delivered, or settled at the start. */
  delivered: number;
  /** Last enqueued sequence number the latest probe saw. */
  enqueued: number;
  /** When the partition last was seen with events waiting and no progress since (clock ms); null = not waiting. */
  waitingSince: number | null;
  timer: ClockTimer | null;
}

/** A partition with events waiting and no delivery for the stall timeout. */
export interface StalledPartition {
  partitionId: string;
  delivered: number;
  enqueued: number;
  /** Clock ms since which nothing was delivered while events waited. */
  sinceMs: number;
}

/**
 * Per-partition progress: compares the last enqueued sequence number the probe sees with the last one delivered. A
 * partition is stalled when events wait (enqueued > delivered) and none was delivered for `stallTimeoutMs` ms; each
 * delivery restarts the wait, so a partition that keeps up or catches up is never stalled. Runs on `clock`, and
 * calls `onDue` when a wait reaches the timeout.
 */
export class PartitionProgress {
  private readonly partitions = new Map<string, Partition>();

  /** @param elsewhere whether another instance reads the partition: it is never stalled here. */
  constructor(
    private readonly clock: Clock,
    private readonly stallTimeoutMs: number,
    private readonly onDue: () => void,
    private readonly elsewhere: (partitionId: string) => boolean = () => false,
  ) {}

  /** Starts over with each partition settled up to the given sequence number (nothing waiting). */
  reset(settled: ReadonlyMap<string, number>): void {
    this.clear();
    for (const [id, seq] of settled) this.partitions.set(id, { delivered: seq, enqueued: seq, waitingSince: null, timer: null });
  }

  /** Cancels every timer and forgets the partitions. */
  clear(): void {
    for (const p of this.partitions.values()) p.timer?.cancel();
    this.partitions.clear();
  }

  /** A non-empty batch ending at `sequenceNumber` was delivered. */
  delivered(partitionId: string, sequenceNumber: number): void {
    const p = this.partitions.get(partitionId);
    if (!p) return;
    p.delivered = Math.max(p.delivered, sequenceNumber);
    if (p.waitingSince !== null) this.wait(p, p.enqueued > p.delivered);
  }

  /**
   * This instance starts reading the partition after `checkpoint` (its stored sequence number, if any): what others
   * delivered up to it is not waiting.
   */
  started(partitionId: string, checkpoint: number | undefined): void {
    const p = this.partitions.get(partitionId);
    if (!p || checkpoint === undefined) return;
    p.delivered = Math.max(p.delivered, checkpoint);
    this.wait(p, p.enqueued > p.delivered);
  }

  /** The probe read the partition's last enqueued sequence number. */
  enqueued(partitionId: string, sequenceNumber: number): void {
    const p = this.partitions.get(partitionId);
    if (!p) return;
    p.enqueued = sequenceNumber;
    const waiting = sequenceNumber > p.delivered && !this.elsewhere(partitionId);
    if (!waiting || p.waitingSince === null) this.wait(p, waiting);
  }

  /** The first stalled partition now, or null. */
  stalled(): StalledPartition | null {
    const now = this.clock.now();
    for (const [partitionId, p] of this.partitions) {
      if (p.waitingSince !== null && now - p.waitingSince >= this.stallTimeoutMs && !this.elsewhere(partitionId)) {
        return { partitionId, delivered: p.delivered, enqueued: p.enqueued, sinceMs: p.waitingSince };
      }
    }
    return null;
  }

  /** (Re)starts the wait from now, or ends it. */
  private wait(p: Partition, waiting: boolean): void {
    p.timer?.cancel();
    p.timer = null;
    p.waitingSince = waiting ? this.clock.now() : null;
    if (waiting) p.timer = this.clock.setTimeout(this.onDue, this.stallTimeoutMs);
  }
}
