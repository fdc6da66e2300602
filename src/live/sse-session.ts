import { PassThrough } from 'node:stream';
import { filter } from 'rxjs';
import type { StatusEvent } from '../devices/device-state.js';
import type { LiveServices } from './live-services.js';
import type { AggregateSpec } from '../telemetry/aggregate-spec.js';
import { subscribeAggregate } from './aggregate-subscription.js';
import { subscribeDevice, UNREGISTERED } from './device-subscription.js';
import { moduleFilter } from '../telemetry/module-filter.js';
import type { FieldSelection } from '../telemetry/field-selection.js';
import { telemetrySseEvent } from './shared-frames.js';
import { formatSseComment, formatSseEvent, formatSseRetry } from './sse-format.js';

/** Bytes an SSE stream may hold unsent before the client is considered too slow and the stream is ended. */
export const SSE_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** The `retry:` hint sent first: EventSource reconnects after this many ms. */
export const SSE_RETRY_MS = 2_000;

/**
 * Opens one `text/event-stream` body for a registered device, replaying after `lastEventId` as {@link subscribeDevice}
 * does: `retry`, the hub-wide `status` now, then `telemetry` (`id: <position>`), `reset` and `status` events and a comment every
 * `SSE_HEARTBEAT_INTERVAL` s; it ends after `status: "unregistered"`. The open stream holds the device active.
 * With `selection`, each `telemetry` event's body carries only those fields. A slow reader is never waited for: past {@link SSE_MAX_BUFFERED_BYTES} pending, the stream ends.
 * With `aggregate`, `aggregate` events (`id: <position>` of the bucket's last message, see `subscribeAggregate`)
 * instead of `telemetry`. With `moduleId`, only that module's `telemetry`.
 *
 * @returns the stream to send, and `end()` (idempotent) which closes it and releases the device.
 * @throws Error when the device is not registered (check `registry.get` first); AggregateLimitError.
 */
export function openSseSession(
  services: LiveServices,
  deviceId: string,
  lastEventId: string | undefined,
  selection?: FieldSelection,
  aggregate?: AggregateSpec,
  moduleId?: string,
): { stream: PassThrough; end: () => void } {
  const wanted = moduleFilter(moduleId);
  const stream = new PassThrough();
  let ended = false;
  let replaying = lastEventId !== undefined;
  const cleanups: Array<() => void> = [];
  const end = (): void => {
    if (ended) return;
    ended = true;
    for (const cleanup of cleanups) cleanup();
    stream.end();
  };
  const write = (text: string): void => {
    if (ended) return;
    if (!replaying && stream.writableLength > SSE_MAX_BUFFERED_BYTES) return end();
    stream.write(text);
  };
  stream.write(formatSseRetry(SSE_RETRY_MS));
  stream.write(formatSseEvent('status', services.hubStatus()));
  const onStatus = (event: StatusEvent): void => {
    write(formatSseEvent('status', event));
    if (event.status === UNREGISTERED) end();
  };
  const onReset = (): void => write(formatSseEvent('reset', { deviceId }));
  cleanups.push(aggregate ?
    subscribeAggregate(services, deviceId, aggregate, lastEventId, { onBucket: (emission) => write(emission.sseEvent()), onReset, onStatus }) :
    subscribeDevice(services, deviceId, lastEventId, {
      onTelemetry: (message) => wanted(message) && write(telemetrySseEvent(message, selection)), onReset, onStatus, onCaughtUp: () => void (replaying = false),
    }));
  if (aggregate) replaying = false;
  const hubStatus = services.status$
    .pipe(filter((event) => event.deviceId === undefined))
    .subscribe((event) => write(formatSseEvent('status', event)));
  const heartbeat = setInterval(() => write(formatSseComment('heartbeat')), services.config.sseHeartbeatIntervalS * 1000);
  heartbeat.unref();
  cleanups.push(() => hubStatus.unsubscribe(), () => clearInterval(heartbeat));
  stream.on('close', end);
  return { stream, end };
}
