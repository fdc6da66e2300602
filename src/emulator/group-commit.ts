import type { DataFileLimits, SendResult } from './emulator-types.js';
import type { DeviceMessage } from './event-message.js';
import type { EventHub, PreparedEvent } from './event-hub.js';

/** Why an event was not stored: `storage_busy` (too much waiting; retry), `storage_failed`, `storage_closed`. */
export type StorageErrorCode = 'storage_busy' | 'storage_failed' | 'storage_closed';

/** A send refused or failed by the data file; the HTTP APIs answer it with 503 and `{ error: code, message }`. */
export class StorageError extends Error {
  readonly statusCode = 503;
  constructor(readonly code: StorageErrorCode, message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Default bounds: 10,000 events or 32 MiB of bodies waiting; a batch write + fsync taking over 10 s fails. */
export const DEFAULT_DATA_FILE_LIMITS: DataFileLimits = { maxPendingEvents: 10_000, maxPendingBytes: 32 * 1024 * 1024, writeTimeoutMs: 10_000 };

/** Writes a batch of prepared events durably (one write + fdatasync); rejects when it could not. */
export type DurableWrite = (events: PreparedEvent[]) => Promise<void>;

interface Waiter {
  input: DeviceMessage;
  resolve: (result: SendResult) => void;
  reject: (error: Error) => void;
}

/**
 * Enqueues events so that a resolved send means durable: events that arrive while a batch is being written wait for
 * the next one; each batch gets its positions, is written and fsynced once, then published (readers, management API)
 * and its sends resolved. Positions are held during the write, so a number is served only once it is on disk; an
 * unpublished batch lost in a crash held numbers no one saw. A failed or timed-out write fails its batch, everything
 * waiting and every later send with `storage_failed` (the file's state past the failure is unknown; restart).
 */
export class GroupCommit {
  private pending: Waiter[] = [];
  private pendingBytes = 0;
  private draining: Promise<void> | undefined;
  private failure: StorageError | undefined;
  private closed = false;

  constructor(private readonly hub: EventHub, private readonly write: DurableWrite, private readonly limits: DataFileLimits = DEFAULT_DATA_FILE_LIMITS) {}

  /** Resolves once `input` is durable and published. @throws StorageError when refused or not written. */
  submit(input: DeviceMessage): Promise<SendResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new StorageError('storage_closed', 'The emulator is closing.'));
    if (this.pending.length >= this.limits.maxPendingEvents || this.pendingBytes + input.body.length > this.limits.maxPendingBytes) {
      return Promise.reject(new StorageError('storage_busy', 'Too many events are waiting for the data file; retry.'));
    }
    return new Promise<SendResult>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.pendingBytes += input.body.length;
      // setImmediate: the requests read in the same I/O phase join the first batch.
      this.draining ??= new Promise<void>((done) => setImmediate(done)).then(() => this.drain());
    });
  }

  /** Refuses new sends and waits for the batches under way (each bounded by the write timeout). Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.failure) {
      const batch = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      await this.commit(batch);
    }
    for (const waiter of this.pending.splice(0)) waiter.reject(this.failure as StorageError);
    this.pendingBytes = 0;
    this.draining = undefined;
  }

  private async commit(batch: Waiter[]): Promise<void> {
    const events: PreparedEvent[] = [];
    const waiters: Waiter[] = [];
    const now = Date.now();
    for (const waiter of batch) {
      try {
        events.push(this.hub.prepare(waiter.input, now));
        waiters.push(waiter);
      } catch (error) {
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    try {
      await withTimeout(this.write(events), this.limits.writeTimeoutMs);
    } catch (error) {
      this.hub.releasePrepared();
      this.failure = new StorageError('storage_failed', `The data file could not be written: ${(error as Error).message}`);
      for (const waiter of waiters) waiter.reject(this.failure);
      return;
    }
    const published = Date.now();
    events.forEach((event, i) => waiters[i]?.resolve(this.hub.publish(event, published)));
  }
}

/** `promise`, or a rejection after `ms` ms (the timer does not keep the process alive). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
