import type { Observable, Subscription } from 'rxjs';
import type { Clock, ClockTimer } from '../config/clock.js';
import type { ServerMessageOf } from '../schemas/live-messages.js';
import { BucketAccumulator, bucketStart } from '../telemetry/aggregate-buckets.js';
import type { AggregateSpec } from '../telemetry/aggregate-spec.js';
import { positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';
import { formatSseEvent } from './sse-format.js';

/** At most this many buckets open at once per aggregator; a further one closes the oldest at once. */
export const MAX_OPEN_BUCKETS = 64;

/** A closed bucket as sent: the `aggregate` message, its WebSocket frame and SSE event, each serialized once. */
export class AggregateEmission {
  private frameText: string | undefined;
  private sseText: string | undefined;

  constructor(
    readonly message: ServerMessageOf<'aggregate'>,
    /** Its start, ms since the epoch. */
    readonly startMs: number,
  ) {}

  /** The WebSocket frame text. */
  frame(): string {
    return (this.frameText ??= JSON.stringify(this.message));
  }

  /** The SSE `aggregate` event (`id: <position>`; data without `type`, like the stream's other events). */
  sseEvent(): string {
    if (this.sseText === undefined) {
      const { type: _type, ...data } = this.message;
      this.sseText = formatSseEvent('aggregate', data, this.message.position);
    }
    return this.sseText;
  }
}

/** A bucket being filled, with the position of its last message. */
export interface OpenBucket {
  acc: BucketAccumulator;
  last: TelemetryMessage;
}

/** The `aggregate` emission of a bucket. */
export function emissionOf(deviceId: string, spec: AggregateSpec, bucket: OpenBucket): AggregateEmission {
  const message = { type: 'aggregate' as const, deviceId, interval: spec.interval, position: positionOf(bucket.last), ...bucket.acc.result() };
  return new AggregateEmission(message, bucket.acc.startMs);
}

/** What a {@link DeviceAggregator} reads. */
export interface AggregatorDeps {
  /** The device's live stored messages. */
  live$: Observable<TelemetryMessage>;
  clock: Clock;
  /** `AGGREGATE_GRACE` in ms. */
  graceMs: number;
  /** Called for each message dropped because its bucket had closed. */
  onLateDropped(): void;
}

/**
 * One device's live aggregate for one spec, shared by all its subscribers: buckets by enqueued time, each closed (and
 * emitted to every listener, oldest first) when the clock passes its end + grace. A message whose bucket has closed,
 * or whose bucket's end + grace has passed on arrival, is dropped and counted. At most {@link MAX_OPEN_BUCKETS} open.
 */
export class DeviceAggregator {
  private readonly open = new Map<number, OpenBucket>();
  private readonly listeners = new Set<(emission: AggregateEmission) => void>();
  private closedUntil = -Infinity;
  private timer: ClockTimer | undefined;
  private timerAt: number | undefined;
  private readonly subscription: Subscription;

  constructor(
    readonly deviceId: string,
    readonly spec: AggregateSpec,
    private readonly deps: AggregatorDeps,
  ) {
    this.subscription = deps.live$.subscribe((message) => this.add(message));
  }

  /** Listeners attached now. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Adds a listener of closed buckets; returns its removal. */
  listen(listener: (emission: AggregateEmission) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The start (ms) of the oldest bucket this aggregator may still emit: an open one, or one a message may still
   * open (not closed, end + grace not passed).
   */
  firstLiveStart(): number {
    const { intervalMs } = this.spec;
    const openable = Math.max(this.closedUntil, bucketStart(this.deps.clock.now() - this.deps.graceMs - intervalMs, intervalMs) + intervalMs);
    return Math.min(openable, ...this.open.keys());
  }

  /** Stops reading and cancels the timer; no more emissions. */
  close(): void {
    this.subscription.unsubscribe();
    this.timer?.cancel();
    this.listeners.clear();
  }

  private add(message: TelemetryMessage): void {
    const { intervalMs } = this.spec;
    const start = bucketStart(Date.parse(message.enqueuedTime), intervalMs);
    if (start < this.closedUntil || start + intervalMs + this.deps.graceMs <= this.deps.clock.now()) return this.deps.onLateDropped();
    let bucket = this.open.get(start);
    if (!bucket) {
      if (this.open.size >= MAX_OPEN_BUCKETS) this.closeBucket(Math.min(...this.open.keys()));
      bucket = { acc: new BucketAccumulator(this.spec, start), last: message };
      this.open.set(start, bucket);
      this.schedule();
    }
    bucket.acc.add(message.body);
    bucket.last = message;
  }

  private schedule(): void {
    if (this.open.size === 0) return;
    const due = Math.min(...this.open.keys()) + this.spec.intervalMs + this.deps.graceMs;
    if (this.timerAt === due) return;
    this.timer?.cancel();
    this.timerAt = due;
    this.timer = this.deps.clock.setTimeout(() => this.flush(), Math.max(0, due - this.deps.clock.now()));
  }

  private flush(): void {
    this.timerAt = undefined;
    const now = this.deps.clock.now();
    for (const start of [...this.open.keys()].sort((a, b) => a - b)) {
      if (start + this.spec.intervalMs + this.deps.graceMs > now) break;
      this.closeBucket(start);
    }
    this.schedule();
  }

  private closeBucket(start: number): void {
    const bucket = this.open.get(start);
    if (!bucket) return;
    this.open.delete(start);
    this.closedUntil = Math.max(this.closedUntil, start + this.spec.intervalMs);
    const emission = emissionOf(this.deviceId, this.spec, bucket);
    for (const listener of [...this.listeners]) listener(emission);
  }
}
