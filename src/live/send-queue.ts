/** The part of a `ws` WebSocket the send queue writes to (ws 8: `bufferedAmount` in bytes, `send(data, callback)`). */
export interface QueueSink {
  /** Bytes accepted by `send` but not yet handed to the operating system. */
  readonly bufferedAmount: number;
  /** Sends one text frame; `callback` runs once the frame is flushed to the OS (or with an error). */
  send(data: string, callback: (error?: Error) => void): void;
}

/** Settings of one {@link SendQueue}; see issue 4, "Backpressure". */
export interface SendQueueOptions {
  /** `WS_MAX_QUEUE`: messages waiting per connection before the oldest telemetry is dropped. */
  maxQueue: number;
  /** `WS_SLOW_CLIENT_TIMEOUT` in milliseconds: how long the queue may stay full before `onTooSlow` runs. */
  slowClientTimeoutMs: number;
  /** Bytes the socket may hold unflushed before the queue stops handing it frames (default 64 KiB). */
  highWaterBytes?: number;
  /** Called once when the queue stayed full for `slowClientTimeoutMs` (the caller closes with 4429). */
  onTooSlow: () => void;
}

interface Entry {
  text: string;
  /** Set for telemetry: the device whose `dropped` count grows when this entry is dropped. */
  droppableFor: string | undefined;
}

/**
 * A per-connection send queue with drop-oldest backpressure (issue 4, "Backpressure"). `push` never blocks and never
 * awaits the socket, so a slow client cannot slow the shared pipeline or other clients. Frames go to the socket only
 * while it holds less than `highWaterBytes` unflushed; the rest wait here, at most `maxQueue` of them. When full, the
 * oldest pending telemetry is dropped and, before anything later is sent, the client gets one
 * `{"type":"dropped","deviceId","count"}` per device. Control messages (subscribed, reset, status, error, pong) are
 * never dropped.
 */
export class SendQueue {
  private readonly pending: Entry[] = [];
  private readonly droppedByDevice = new Map<string, number>();
  private readonly highWaterBytes: number;
  private fullTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private totalDropped = 0;
  private peak = 0;

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
    this.push({ text, droppableFor: deviceId });
  }

  /** Queues a control message (never dropped). */
  pushControl(message: object): void {
    this.push({ text: JSON.stringify(message), droppableFor: undefined });
  }

  /** Hands any pending `dropped` notices to the socket regardless of its buffer (used right before a 4429 close). */
  flushDroppedNotices(): void {
    this.sendDroppedNotices(() => undefined);
  }

  private sendDroppedNotices(callback: (error?: Error) => void): void {
    for (const [deviceId, count] of this.droppedByDevice) {
      this.sink.send(JSON.stringify({ type: 'dropped', deviceId, count }), callback);
    }
    this.droppedByDevice.clear();
  }

  /** Stops the queue: pending messages are discarded and timers cleared. Idempotent. */
  close(): void {
    this.closed = true;
    this.pending.length = 0;
    this.droppedByDevice.clear();
    this.setFullTimer(false);
  }

  private push(entry: Entry): void {
    if (this.closed) return;
    if (this.pending.length >= this.options.maxQueue && entry.droppableFor !== undefined) this.dropOldest();
    this.pending.push(entry);
    this.peak = Math.max(this.peak, this.pending.length);
    this.drain();
  }

  private dropOldest(): void {
    const index = this.pending.findIndex((e) => e.droppableFor !== undefined);
    if (index < 0) return;
    const [victim] = this.pending.splice(index, 1);
    const deviceId = victim?.droppableFor as string;
    this.droppedByDevice.set(deviceId, (this.droppedByDevice.get(deviceId) ?? 0) + 1);
    this.totalDropped += 1;
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
      this.sink.send(next.text, this.onFlushed);
    }
    this.setFullTimer(!this.closed && this.pending.length >= this.options.maxQueue);
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
