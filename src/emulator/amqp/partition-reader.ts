import type { AmqpError, Sender } from 'rhea';
import { encodeRuntimeInfo } from '../event-message.js';
import type { PartitionLog } from '../partition-log.js';
import { flowStateOf } from './rhea.js';

/** Where and how a partition receiver reads, parsed from its attach frame. */
export interface ReaderSpec {
  partitionId: string;
  consumerGroup: string;
  /** `com.microsoft:epoch`, or `null` without owner level. */
  ownerLevel: number | null;
  /** First sequence number to deliver. */
  start: number;
  /** Whether the receiver asked for `com.microsoft:enable-receiver-runtime-metric`. */
  runtimeInfo: boolean;
}

/**
 * Delivers one partition's events to one attached receiver (the server-side rhea sender), in order, from its start
 * position, never beyond the link credit the client granted (AMQP 1.0 §2.6.7 flow control).
 *
 * rhea updates `sender.credit` only when it writes transfers on the next tick, so the reader counts its own
 * deliveries: available credit = `credit + delivery_count` (the peer's delivery limit) − deliveries handed to rhea.
 * It also stops while the session's outgoing buffer (2048 deliveries) is full, and resumes on rhea's `sendable`.
 * Deliveries are pre-settled (`snd-settle-mode` settled), so the buffer frees as soon as a transfer is written.
 */
export class PartitionReader {
  private next: number;
  private sent = 0;
  private closed = false;
  private readonly cleanups: (() => void)[] = [];

  /** @param isStalled true while the stall fault is on (nothing is delivered). */
  constructor(
    readonly sender: Sender,
    readonly spec: ReaderSpec,
    private readonly log: PartitionLog,
    private readonly isStalled: () => boolean,
  ) {
    this.next = spec.start;
    flowStateOf(sender).local.attach.snd_settle_mode = 1;
  }

  /** Sends what the credit and the session buffer allow; called on `sendable` and when an event is appended. */
  readonly pump = (): void => {
    if (this.closed || this.isStalled() || !this.sender.is_open()) return;
    const state = flowStateOf(this.sender);
    let credit = state.credit + state.delivery_count - this.sent;
    let room = state.session.outgoing.available();
    const log = this.log;
    while (credit > 0 && room > 0) {
      if (this.next < log.beginSequenceNumber) this.next = log.beginSequenceNumber;
      const message = log.get(this.next);
      if (message === undefined) break;
      const payload = this.spec.runtimeInfo
        ? Buffer.concat([encodeRuntimeInfo(log.nextSequenceNumber - 1, log.lastOffset, log.lastEnqueuedMs), message])
        : message;
      this.sender.send(payload, undefined, 0);
      this.next++;
      this.sent++;
      credit--;
      room--;
    }
  };

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Registers a function called once when the reader closes (e.g. to stop watching the partition). */
  onClose(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Stops delivering; with `error`, detaches the link with that error (e.g. `amqp:link:stolen`). Idempotent. */
  close(error?: AmqpError): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    if (error && this.sender.is_open()) this.sender.close(error);
  }
}
