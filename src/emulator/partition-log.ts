/**
 * Bytes each event adds to the notional partition log besides its body, so offsets grow like the service's byte
 * offsets (an offset is an opaque, increasing string to clients).
 */
export const EVENT_OVERHEAD_BYTES = 64;

/** Position assigned to an event when it is enqueued. */
export interface LogPosition {
  sequenceNumber: number;
  /** Byte offset in the notional log (a number here; sent as a decimal string). */
  offset: number;
  /** Enqueued time in ms since the epoch; never decreases within a partition. */
  enqueuedMs: number;
  /** Bytes the event takes in the log: the next event's offset is `offset + size`. */
  size: number;
}

/** Retention bounds of one partition (counts and ms). */
export interface LogRetention {
  maxEvents: number;
  maxAgeMs: number;
}

/**
 * One partition's events, in order. Sequence numbers are contiguous, so an event's index is
 * `sequenceNumber - beginSequenceNumber`; offsets and enqueued times are found by binary search. Each event is kept
 * as its encoded AMQP message, built once and sent to every reader as is.
 * Retention (count and age) drops the oldest events and moves the begin sequence number, as Event Hubs does.
 */
export class PartitionLog {
  private encoded: Buffer[] = [];
  private offsets: number[] = [];
  private times: number[] = [];
  private head = 0;
  private reservedCount = 0;
  private reservedBytes = 0;
  private reservedMs = 0;
  /** Sequence number of the oldest retained event (equals `nextSequenceNumber` when empty). */
  beginSequenceNumber = 0;
  nextSequenceNumber = 0;
  nextOffset = 0;
  lastEnqueuedMs = 0;
  /** Offset of the last enqueued event, or -1 before the first one. */
  lastOffset = -1;

  constructor(readonly partitionId: string, private readonly retention: LogRetention) {}

  /** Number of retained events. */
  get size(): number {
    return this.encoded.length - this.head;
  }

  /**
   * The position the next event gets after those reserved (no state change); `bodyBytes` is the body length and
   * `nowMs` the time in ms since the epoch.
   */
  nextPosition(bodyBytes: number, nowMs: number): LogPosition {
    return {
      sequenceNumber: this.nextSequenceNumber + this.reservedCount,
      offset: this.nextOffset + this.reservedBytes,
      enqueuedMs: Math.max(nowMs, this.lastEnqueuedMs, this.reservedMs),
      size: bodyBytes + EVENT_OVERHEAD_BYTES,
    };
  }

  /**
   * Holds `position` (from {@link nextPosition}) for an event still being written: the next event gets the one after
   * it, while readers and `nextSequenceNumber` see only appended events. Appends consume reservations in order.
   */
  reserve(position: LogPosition): void {
    this.reservedCount++;
    this.reservedBytes += position.size;
    this.reservedMs = position.enqueuedMs;
  }

  /** Drops every reservation (their events were never appended), so the next event follows the last appended one. */
  releaseReservations(): void {
    this.reservedCount = 0;
    this.reservedBytes = 0;
    this.reservedMs = 0;
  }

  /** Appends the event at `position` (from {@link nextPosition} or a replayed file), then applies retention. */
  append(position: LogPosition, message: Buffer, nowMs: number): void {
    if (this.reservedCount > 0) {
      this.reservedCount--;
      this.reservedBytes -= position.size;
    }
    if (this.size === 0) this.beginSequenceNumber = position.sequenceNumber;
    this.encoded.push(message);
    this.offsets.push(position.offset);
    this.times.push(position.enqueuedMs);
    this.nextSequenceNumber = position.sequenceNumber + 1;
    this.nextOffset = position.offset + position.size;
    this.lastOffset = position.offset;
    this.lastEnqueuedMs = position.enqueuedMs;
    this.trim(nowMs);
  }

  /** Drops events beyond the retention bounds (oldest first). */
  trim(nowMs: number): void {
    const oldest = nowMs - this.retention.maxAgeMs;
    let drop = Math.max(0, this.size - this.retention.maxEvents);
    while (drop < this.size && (this.times[this.head + drop] as number) < oldest) drop++;
    if (drop === 0) return;
    for (let i = this.head; i < this.head + drop; i++) this.encoded[i] = EMPTY;
    this.head += drop;
    this.beginSequenceNumber += drop;
    if (this.head > 1024 && this.head * 2 > this.encoded.length) {
      this.encoded = this.encoded.slice(this.head);
      this.offsets = this.offsets.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.size === 0) this.beginSequenceNumber = this.nextSequenceNumber;
  }

  /** The encoded message with this sequence number, or `undefined` when not retained (or not yet enqueued). */
  get(sequenceNumber: number): Buffer | undefined {
    if (sequenceNumber < this.beginSequenceNumber) return undefined;
    return this.encoded[this.head + sequenceNumber - this.beginSequenceNumber];
  }

  /** Position (offset, time, size) of a retained event, for persistence; `undefined` when not retained. */
  positionOf(sequenceNumber: number): LogPosition | undefined {
    const i = this.head + sequenceNumber - this.beginSequenceNumber;
    const offset = this.offsets[i];
    if (sequenceNumber < this.beginSequenceNumber || offset === undefined) return undefined;
    const following = this.offsets[i + 1] ?? this.nextOffset;
    return { sequenceNumber, offset, enqueuedMs: this.times[i] as number, size: following - offset };
  }

  /** Sequence number of the first retained event whose offset is > `offset` (≥ when `inclusive`). */
  firstAfterOffset(offset: number, inclusive: boolean): number {
    return this.firstAfter(this.offsets, offset, inclusive);
  }

  /** Sequence number of the first retained event enqueued after `ms` (ms since the epoch; at or after if `inclusive`). */
  firstAfterTime(ms: number, inclusive: boolean): number {
    return this.firstAfter(this.times, ms, inclusive);
  }

  private firstAfter(values: number[], value: number, inclusive: boolean): number {
    let lo = this.head;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = values[mid] as number;
      if (inclusive ? v < value : v <= value) lo = mid + 1;
      else hi = mid;
    }
    return this.beginSequenceNumber + (lo - this.head);
  }
}

const EMPTY = Buffer.alloc(0);
