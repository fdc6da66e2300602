import { filter } from 'rxjs';
import type { DeviceState, StatusEvent } from '../devices/device-state.js';
import { BucketAccumulator, bucketStart } from '../telemetry/aggregate-buckets.js';
import type { AggregateSpec } from '../telemetry/aggregate-spec.js';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';
import { emissionOf, type AggregateEmission, type OpenBucket } from './device-aggregator.js';
import type { LiveServices } from './live-services.js';
import { SubscribedGate } from './subscribed-gate.js';

/** Closed buckets a resuming subscriber holds while its history is recomputed (more: the oldest are dropped). */
export const MAX_REPLAY_BUFFER = 1_000;

/** What a live aggregate subscriber (a WebSocket connection or an SSE stream) receives for one device. */
export interface AggregateSubscriber {
  /** Called once, first, with the device's state and latest stored message. */
  onSubscribed?(state: DeviceState | undefined, latest: TelemetryMessage | undefined): void;
  /** The resume position was not in the history; the buckets of the whole history follow. */
  onReset(): void;
  /** A closed bucket (recomputed or live), oldest first, never twice. */
  onBucket(emission: AggregateEmission): void;
  onStatus(event: StatusEvent): void;
}

/**
 * Subscribes to a device's shared live aggregate for `spec` (holding the device active): `onSubscribed`, then, with a
 * `from` position, the buckets of the messages stored after it recomputed from history (a `reset` first when it is
 * not held), then the live buckets: live buckets that close during the recomputation wait (at most
 * {@link MAX_REPLAY_BUFFER}), and recomputed ones stop before the first bucket the shared aggregator can still emit.
 * @returns an idempotent end.
 * @throws AggregateLimitError (too many specs for the device) or Error when the device is not registered.
 */
export function subscribeAggregate(
  services: Pick<LiveServices, 'store' | 'registry' | 'streams' | 'status$' | 'aggregates'>,
  deviceId: string,
  spec: AggregateSpec,
  from: string | undefined,
  subscriber: AggregateSubscriber,
): () => void {
  const { store, registry } = services;
  const gate = new SubscribedGate();
  let replay: AggregateEmission[] | null = from === undefined ? null : [];
  let floor = -Infinity;
  const deliver = (emission: AggregateEmission): void => {
    if (emission.startMs < floor) return;
    gate.later(() => subscriber.onBucket(emission));
  };
  const onLive = (emission: AggregateEmission): void => {
    if (!replay) return deliver(emission);
    if (replay.length >= MAX_REPLAY_BUFFER) replay.shift();
    replay.push(emission);
  };
  const lease = services.aggregates.acquire(deviceId, spec, onLive);
  let release: () => void;
  try {
    release = registry.holdActive(deviceId);
  } catch (error) {
    lease.release();
    throw error;
  }
  const state = registry.get(deviceId);
  const status = services.status$
    .pipe(filter((event) => event.deviceId === deviceId))
    .subscribe((event) => gate.later(() => subscriber.onStatus(event)));

  if (from !== undefined) {
    void store.after(deviceId, from).catch(() => ({ found: false, messages: [] })).then((result) => {
      if (gate.ended) return;
      const emit = (emission: AggregateEmission): void => gate.later(() => subscriber.onBucket(emission));
      if (!result.found) gate.later(() => subscriber.onReset());
      const cut = Math.min(replay?.[0]?.startMs ?? Infinity, lease.aggregator.firstLiveStart());
      for (const emission of recompute(deviceId, spec, result.messages, cut)) emit(emission);
      floor = cut;
      const pending = replay ?? [];
      replay = null;
      for (const emission of pending) deliver(emission);
    });
  }
  gate.announceWhenLatestKnown(services, deviceId, (latest) => subscriber.onSubscribed?.(state, latest));
  return () => {
    if (!gate.end()) return;
    status.unsubscribe();
    lease.release();
    release();
  };
}

/** The buckets of `messages` (oldest first) that start before `beforeMs`, oldest first. */
function recompute(deviceId: string, spec: AggregateSpec, messages: readonly TelemetryMessage[], beforeMs: number): AggregateEmission[] {
  const buckets = new Map<number, OpenBucket>();
  for (const message of messages) {
    const start = bucketStart(Date.parse(message.enqueuedTime), spec.intervalMs);
    if (start >= beforeMs) continue;
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = { acc: new BucketAccumulator(spec, start), last: message }));
    bucket.acc.add(message.body);
    bucket.last = message;
  }
  return [...buckets.values()].sort((a, b) => a.acc.startMs - b.acc.startMs).map((bucket) => emissionOf(deviceId, spec, bucket));
}
