import { Observable } from 'rxjs';
import type { ResumeResult } from '../store/telemetry-store.js';
import { parsePosition, positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';

/**
 * One item of a device's live feed: a stored message, a `reset` (the resume position is no longer in history), or
 * `caught-up` (with a resume position: the replay is over, live messages follow).
 */
export type FeedItem = { kind: 'telemetry'; message: TelemetryMessage } | { kind: 'reset' } | { kind: 'caught-up' };

/** Where a feed reads: the stored history (asynchronous) and the device's live stream. */
export interface FeedSource {
  /** `TelemetryStore.after` for this device. */
  after(position: string): Promise<ResumeResult>;
  /** The device's messages stored from the moment of subscription on (`DeviceStreams.device$`). */
  live$: Observable<TelemetryMessage>;
}

/** Live messages a feed holds while it reads history, before it reads the history again from where it got to. */
export const FEED_MAX_BUFFERED = 10_000;

/**
 * A device's live feed for one subscriber, resuming after `from`:
 * - `from` undefined: only messages stored from now on;
 * - `from` held in the history: every later message of the history, then live ones;
 * - `from` not held (evicted, unknown after a restart) or the history unreadable: `reset`, then the whole history,
 *   then live ones.
 *
 * History is read asynchronously while the live stream is already joined: live messages wait in a buffer (at most
 * `maxBuffered`; past it the history is read again after the last message delivered), then a per-partition
 * sequence-number guard delivers each message once, in order: no gap, no duplicate. Never errors; completes with the
 * live stream.
 */
export function deviceFeed(source: FeedSource, from?: string, maxBuffered = FEED_MAX_BUFFERED): Observable<FeedItem> {
  return new Observable<FeedItem>((subscriber) => {
    const delivered = new Map<string, number>();
    const deliver = (message: TelemetryMessage): void => {
      const last = delivered.get(message.partitionId);
      if (last !== undefined && message.sequenceNumber <= last) return;
      delivered.set(message.partitionId, message.sequenceNumber);
      lastDelivered = message;
      subscriber.next({ kind: 'telemetry', message });
    };
    // The position is formatted only when history must be read again (not per message: this runs per subscriber).
    let lastDelivered: TelemetryMessage | undefined;
    let buffer: TelemetryMessage[] | null = from === undefined ? null : [];
    let overflowed = false;
    let liveEnded = false;

    const live = source.live$.subscribe({
      next: (message) => {
        if (!buffer) return deliver(message);
        if (buffer.length < maxBuffered) buffer.push(message);
        else overflowed = true;
      },
      complete: () => {
        liveEnded = true;
        if (!buffer) subscriber.complete();
      },
    });

    const catchUp = async (position: string, first: boolean): Promise<void> => {
      let result: ResumeResult;
      try {
        result = await source.after(position);
      } catch {
        result = { found: false, messages: [] };
      }
      if (subscriber.closed) return;
      if (!result.found && first) subscriber.next({ kind: 'reset' });
      const at = parsePosition(position);
      if (result.found && at && !delivered.has(at.partitionId)) delivered.set(at.partitionId, at.sequenceNumber);
      for (const message of result.messages) deliver(message);
      if (overflowed) {
        overflowed = false;
        buffer = [];
        return catchUp(lastDelivered ? positionOf(lastDelivered) : position, false);
      }
      const pending = buffer ?? [];
      buffer = null;
      for (const message of pending) deliver(message);
      subscriber.next({ kind: 'caught-up' });
      if (liveEnded) subscriber.complete();
    };
    if (from !== undefined) void catchUp(from, true);
    return live;
  });
}
