import { Observable } from 'rxjs';
import type { TelemetryStoreView } from '../devices/device-state.js';
import { positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';
import { fanoutFor } from './device-fanout.js';

/** One item of a device's live feed: a stored message, or a `reset` (the resume position is no longer in history). */
export type FeedItem = { kind: 'telemetry'; message: TelemetryMessage } | { kind: 'reset' };

/**
 * A device's live feed for one subscriber, resuming after `from` (issue 4, "Positions").
 *
 * - `from` undefined: only messages stored from now on.
 * - `from` found in the device's history: every later message of the history, then live ones.
 * - `from` not found (evicted, or unknown after a restart): `reset`, then the whole history, then live ones.
 *
 * History is read and the live stream joined in the same synchronous step, so nothing is missed or repeated; a
 * per-partition sequence-number guard also drops anything already delivered. Live messages come through the store's
 * {@link fanoutFor} fan-out. Never errors; completes when the store closes.
 */
export function deviceFeed(store: TelemetryStoreView, deviceId: string, from?: string): Observable<FeedItem> {
  return new Observable<FeedItem>((subscriber) => {
    const lastSequence = new Map<string, number>();
    const deliver = (message: TelemetryMessage): void => {
      const last = lastSequence.get(message.partitionId);
      if (last !== undefined && message.sequenceNumber <= last) return;
      lastSequence.set(message.partitionId, message.sequenceNumber);
      subscriber.next({ kind: 'telemetry', message });
    };

    if (from !== undefined) {
      const history = store.history(deviceId);
      const index = history.findIndex((m) => positionOf(m) === from);
      if (index < 0) subscriber.next({ kind: 'reset' });
      const resumed = history[index];
      if (resumed) lastSequence.set(resumed.partitionId, resumed.sequenceNumber);
      for (const message of history.slice(index + 1)) deliver(message);
    }
    return fanoutFor(store).device$(deviceId).subscribe({
      next: deliver,
      complete: () => subscriber.complete(),
    });
  });
}
