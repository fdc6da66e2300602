import type { Clock } from '../config/clock.js';

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

/** Settings of one `SendQueue`. */
export interface SendQueueOptions {
  /** `WS_MAX_QUEUE`: messages (telemetry and control) waiting per connection; a hard cap. */
  maxQueue: number;
  /** `WS_SLOW_CLIENT_TIMEOUT` in milliseconds: how long the queue may stay full before `onTooSlow` runs. */
  slowClientTimeoutMs: number;
  /** Bytes the socket may hold unflushed before the queue stops handing it frames (default 64 KiB). */
  highWaterBytes?: number;
  /** The clock of the slow-client deadline (default the system clock). */
  clock?: Clock;
  /** Whether several waiting messages go as one array frame from the start (see `SendQueue.setBatching`). */
  batch?: boolean;
  /**
   * Called once when the queue stayed full for `slowClientTimeoutMs`, or at once when a control message finds it full
   * of control messages (the caller closes with 4429).
   */
  onTooSlow: () => void;
}

/** One message waiting in a `SendQueue`: its serialized text and how backpressure treats it. */
export interface QueueEntry {
  text: string;
  /** Set for telemetry: the device whose `dropped` count grows when this entry is dropped. */
  droppableFor: string | undefined;
  /** Set for a control message of which at most one may wait (e.g. one `error` per code). */
  kind: string | undefined;
  /** Only the newest of its kind matters (`pushLatest`): a full queue defers it instead of ending the connection. */
  latest?: boolean;
}
