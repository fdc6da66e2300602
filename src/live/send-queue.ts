import { systemClock } from '../config/clock.js';
import { DroppedNotices } from './dropped-notices.js';
import { atEndOfBurst } from './end-of-burst.js';
import { FrameBatch } from './frame-batch.js';
import type { QueueEntry as Entry, QueueSink, SendQueueOptions } from './send-queue-options.js';
import { SlowClientTimer } from './slow-client-timer.js';

export type { QueueSink, SendQueueOptions } from './send-queue-options.js';

/**
 * A per-connection send queue with drop-oldest backpressure. `push` never blocks and never awaits the socket, so a
 * slow client cannot slow the shared pipeline or other clients. Frames go to the socket only while it holds less than
 * `highWaterBytes` unflushed; the rest wait here, at most `maxQueue` of them (telemetry and control together). When
 * full, the oldest pending telemetry is dropped (also to make room for a control message) and, before anything later
 * is sent, the client gets one `{"type":"dropped","deviceId","count"}` per device. While full, the peer's frames are
 * not read (reading resumes at half full), so a client that does not read cannot make the gateway answer more
 * requests; a control message that finds the queue full of control messages ends the connection (`onTooSlow`).
 * With batching on, what is pushed goes to the socket at the end of the current synchronous burst ({@link atEndOfBurst}),
 * and one frame at most is in flight: the next one is handed over when the socket's write callback says the previous
 * one was flushed; whatever waits then goes as one JSON array frame (`dropped` notices first, at most `highWaterBytes`
 * characters of messages a frame; see {@link FrameBatch}); a burst that fills the queue sends below high water at once.
 */
export class SendQueue {
  private readonly pending: Entry[] = [];
  private readonly drops = new DroppedNotices();
  private readonly highWaterBytes: number;
  private batchChars: number;
  private readonly fullTimer: SlowClientTimer;
  private closed = false;
  private peak = 0;
  private paused = false;
  private inFlight = 0; // frames whose write callback has not run yet
  private readonly pendingKinds = new Set<string>();
  /** `pushLatest` frames that found the queue full of control messages, by kind: queued once there is room. */
  private readonly deferred = new Map<string, string>();

  constructor(
    private readonly sink: QueueSink,
    private readonly options: SendQueueOptions,
  ) {
    this.highWaterBytes = options.highWaterBytes ?? 64 * 1024;
    this.batchChars = options.batch === true ? this.highWaterBytes : 0;
    this.fullTimer = new SlowClientTimer(options.clock ?? systemClock, options.slowClientTimeoutMs, () => {
      if (!this.closed) options.onTooSlow();
    });
  }

  /** Messages dropped by backpressure over the queue's life. */
  get droppedCount(): number {
    return this.drops.total;
  }

  /** Turns array frames on or off for what is sent from now on (the client opted in at `auth`). */
  setBatching(on: boolean): void {
    this.batchChars = on ? this.highWaterBytes : 0;
  }

  /** Messages waiting to be handed to the socket. */
  get size(): number {
    return this.pending.length;
  }

  /** The largest {@link SendQueue.size} over the queue's life. */
  get peakSize(): number {
    return this.peak;
  }

  /** Queues a telemetry frame of `deviceId`, already serialized (droppable under backpressure). */
  pushTelemetry(deviceId: string, text: string): void {
    this.push({ text, droppableFor: deviceId, kind: undefined });
  }

  /**
   * Queues a control message (never dropped for telemetry). With `kind`, it is discarded while another message of the
   * same kind still waits here (one pending `error` per code, say).
   */
  pushControl(message: object, kind?: string): void {
    if (kind !== undefined && this.pendingKinds.has(kind)) return;
    this.push({ text: JSON.stringify(message), droppableFor: undefined, kind });
  }

  /**
   * Queues a control frame (already serialized) of which only the newest matters, e.g. the device list: while one of
   * the same `kind` still waits here, its text is replaced in place; otherwise it is queued like `pushControl`, except
   * that a queue full of control messages keeps it aside (one per kind, the newest) until there is room, rather than
   * ending the connection.
   */
  pushLatest(kind: string, text: string): void {
    if (this.closed) return;
    const waiting = this.pendingKinds.has(kind) ? this.pending.find((e) => e.kind === kind) : undefined;
    if (waiting) waiting.text = text;
    else if (this.deferred.has(kind)) this.deferred.set(kind, text);
    else this.push({ text, droppableFor: undefined, kind, latest: true });
  }

  /** Hands any pending `dropped` notices to the socket regardless of its buffer (used right before a 4429 close). */
  flushDroppedNotices(): void {
    for (let frame = this.frame(); this.drops.pending; frame = this.frame()) {
      this.drops.moveInto(frame);
      this.sink.send(frame.text(), () => undefined);
    }
  }

  /** Stops the queue: pending messages are discarded and timers cleared. Idempotent. */
  close(): void {
    if (this.paused) this.sink.resume(); // the closing handshake needs the peer's close frame
    this.paused = false;
    this.closed = true;
    this.pending.length = 0;
    this.pendingKinds.clear();
    this.deferred.clear();
    this.drops.clear();
    this.fullTimer.set(false);
  }

  private push(entry: Entry): void {
    if (this.closed) return;
    if (this.batchChars > 0 && this.pending.length >= this.options.maxQueue) this.drain(); // a burst filled it
    if (this.pending.length >= this.options.maxQueue && !this.dropOldest()) {
      if (entry.latest && entry.kind !== undefined) return void this.deferred.set(entry.kind, entry.text);
      if (entry.droppableFor === undefined) return this.overflow();
      return this.drops.count(entry.droppableFor); // the queue is all control messages: drop the newcomer
    }
    this.pending.push(entry);
    if (entry.kind !== undefined) this.pendingKinds.add(entry.kind);
    this.peak = Math.max(this.peak, this.pending.length);
    if (this.batchChars > 0) atEndOfBurst(this.drainNow);
    else this.drain();
  }

  /** Drops the oldest pending telemetry; false when there is none. */
  private dropOldest(): boolean {
    const index = this.pending.findIndex((e) => e.droppableFor !== undefined);
    if (index < 0) return false;
    const [victim] = this.pending.splice(index, 1);
    this.drops.count(victim?.droppableFor as string);
    return true;
  }

  private overflow(): void {
    this.fullTimer.set(false);
    this.options.onTooSlow();
  }

  private readonly drainNow = (): void => this.drain();
  private readonly onFlushed = (error?: Error): void => {
    this.inFlight -= 1;
    if (!error) this.drain();
  };

  /** Below high water; batching: when nothing is in flight, or below high water with the queue full (a long burst). */
  private canSend(): boolean {
    const belowHighWater = this.sink.bufferedAmount < this.highWaterBytes;
    if (this.batchChars === 0) return belowHighWater;
    return this.inFlight === 0 || (belowHighWater && this.pending.length >= this.options.maxQueue);
  }

  private drain(): void {
    while (!this.closed && this.canSend()) {
      const frame = this.frame();
      if (this.drops.moveInto(frame)) this.movePendingInto(frame);
      if (frame.size === 0) break;
      this.inFlight += 1;
      this.sink.send(frame.text(), this.onFlushed);
    }
    const full = !this.closed && this.pending.length >= this.options.maxQueue;
    this.fullTimer.set(full);
    this.setReading(!full && (!this.paused || this.pending.length <= this.options.maxQueue / 2));
  }

  private frame(): FrameBatch {
    return new FrameBatch(this.batchChars);
  }

  /** Moves waiting messages, oldest first, into `frame` while it takes them. */
  private movePendingInto(frame: FrameBatch): void {
    for (let next = this.pending[0]; next !== undefined && frame.add(next.text); next = this.pending[0]) {
      this.pending.shift();
      this.takeDeferred();
      if (next.kind !== undefined) this.pendingKinds.delete(next.kind);
    }
  }

  /** Queues one deferred `pushLatest` frame, now that a slot is free. */
  private takeDeferred(): void {
    const first = this.deferred.entries().next();
    if (first.done) return;
    const [kind, text] = first.value;
    this.deferred.delete(kind);
    this.pending.push({ text, droppableFor: undefined, kind, latest: true });
    this.pendingKinds.add(kind);
  }

  private setReading(reading: boolean): void {
    if (reading === !this.paused || this.closed) return;
    this.paused = !reading;
    if (reading) this.sink.resume();
    else this.sink.pause();
  }
}
