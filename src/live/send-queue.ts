import { droppedMessage } from './server-messages.js';

/**
 * The part of a `ws` WebSocket the send queue writes to (ws 8: `bufferedAmount` in bytes, `send(data, callback)`,
 * `pause()`/`resume()` of reading from the peer).
 */
export interface QueueSink {
  /** Bytes accepted by `send` but not yet handed to the operating system. */
  readonly bufferedAmount: number;
  /** Sends one text frame; `callback` runs once the frame is flushed to the OS (or with an error). */
  send(data: string, callback: (error?: Error) => void): void;
  /** Stops reading frames from the peer (TCP backpressure reaches it). */
  pause(): void;
  /** Reads frames from the peer again. */
  resume(): void;
}

/** Settings of one {@link SendQueue}. */
export interface SendQueueOptions {
  /** `WS_MAX_QUEUE`: messages (telemetry and control) waiting per connection; a hard cap. */
  maxQueue: number;
  /** `WS_SLOW_CLIENT_TIMEOUT` in milliseconds: how long the queue may stay full before `onTooSlow` runs. */
  slowClientTimeoutMs: number;
  /** Bytes the socket may hold unflushed before the queue stops handing it frames (default 64 KiB). */
  highWaterBytes?: number;
  /**
   * Called once when the queue stayed full for `slowClientTimeoutMs`, or at once when a control message finds it full
   * of control messages (the caller closes with 4429).
   */
  onTooSlow: () => void;
}

interface Entry {
  text: string;
  /** Set for telemetry: the device whose `dropped` count grows when this entry is dropped. */
  droppableFor: string | undefined;
  /** Set for a control message of which at most one may wait (e.g. one `error` per code). */
  kind: string | undefined;
  /** Only the newest of its kind matters (`pushLatest`): a full queue defers it instead of ending the connection. */
  latest?: boolean;
}

/**
 * A per-connection send queue with drop-oldest backpressure. `push` never blocks and never awaits the socket, so a
 * slow client cannot slow the shared pipeline or other clients. Frames go to the socket only while it holds less than
 * `highWaterBytes` unflushed; the rest wait here, at most `maxQueue` of them (telemetry and control together). When
 * full, the oldest pending telemetry is dropped (also to make room for a control message) and, before anything later
 * is sent, the client gets one `{"type":"dropped","deviceId","count"}` per device. While full, the peer's frames are
 * not read (reading resumes at half full), so a client that does not read cannot make the gateway answer more
 * requests; a control message that finds the queue full of control messages ends the connection (`onTooSlow`).
 */
export class SendQueue {
  private readonly pending: Entry[] = [];
  private readonly droppedByDevice = new Map<string, number>();
  private readonly highWaterBytes: number;
  private fullTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private totalDropped = 0;
  private peak = 0;
  private paused = false;
  private readonly pendingKinds = new Set<string>();
  /** `pushLatest` frames that found the queue full of control messages, by kind: queued once there is room. */
  private readonly deferred = new Map<string, string>();

  constructor(
    private readonly sink: QueueSink,
    private readonly options: SendQueueOptions,
  ) {
    this.highWaterBytes = options.highWaterBytes ?? 64 * 1024;
  }

  /** Messages dropped by backpressure over the queue's life. */
  get droppedCount(): number {
    return this.totalDropped;
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
    this.sendDroppedNotices(() => undefined);
  }

  private sendDroppedNotices(callback: (error?: Error) => void): void {
    for (const [deviceId, count] of this.droppedByDevice) {
      this.sink.send(JSON.stringify(droppedMessage(deviceId, count)), callback);
    }
    this.droppedByDevice.clear();
  }

  /** Stops the queue: pending messages are discarded and timers cleared. Idempotent. */
  close(): void {
    if (this.paused) this.sink.resume(); // the closing handshake needs the peer's close frame
    this.paused = false;
    this.closed = true;
    this.pending.length = 0;
    this.pendingKinds.clear();
    this.deferred.clear();
    this.droppedByDevice.clear();
    this.setFullTimer(false);
  }

  private push(entry: Entry): void {
    if (this.closed) return;
    if (this.pending.length >= this.options.maxQueue && !this.dropOldest()) {
      if (entry.latest && entry.kind !== undefined) return void this.deferred.set(entry.kind, entry.text);
      if (entry.droppableFor === undefined) return this.overflow();
      return this.countDropped(entry.droppableFor); // the queue is all control messages: drop the newcomer
    }
    this.pending.push(entry);
    if (entry.kind !== undefined) this.pendingKinds.add(entry.kind);
    this.peak = Math.max(this.peak, this.pending.length);
    this.drain();
  }

  /** Drops the oldest pending telemetry; false when there is none. */
  private dropOldest(): boolean {
    const index = this.pending.findIndex((e) => e.droppableFor !== undefined);
    if (index < 0) return false;
    const [victim] = this.pending.splice(index, 1);
    this.countDropped(victim?.droppableFor as string);
    return true;
  }

  private countDropped(deviceId: string): void {
    this.droppedByDevice.set(deviceId, (this.droppedByDevice.get(deviceId) ?? 0) + 1);
    this.totalDropped += 1;
  }

  private overflow(): void {
    this.setFullTimer(false);
    this.options.onTooSlow();
  }

  private readonly onFlushed = (error?: Error): void => {
    if (!error) this.drain();
  };

  private drain(): void {
    while (!this.closed && this.sink.bufferedAmount < this.highWaterBytes) {
      if (this.droppedByDevice.size > 0) {
        this.sendDroppedNotices(this.onFlushed);
        continue;
      }
      const next = this.pending.shift();
      if (!next) break;
      this.takeDeferred();
      if (next.kind !== undefined) this.pendingKinds.delete(next.kind);
      this.sink.send(next.text, this.onFlushed);
    }
    const full = !this.closed && this.pending.length >= this.options.maxQueue;
    this.setFullTimer(full);
    this.setReading(!full && (!this.paused || this.pending.length <= this.options.maxQueue / 2));
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

  private setFullTimer(full: boolean): void {
    if (full && !this.fullTimer) {
      this.fullTimer = setTimeout(() => {
        this.fullTimer = undefined;
        if (!this.closed) this.options.onTooSlow();
      }, this.options.slowClientTimeoutMs);
      this.fullTimer.unref();
    } else if (!full && this.fullTimer) {
      clearTimeout(this.fullTimer);
      this.fullTimer = undefined;
    }
  }
}
