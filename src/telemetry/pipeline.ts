import { filter, groupBy, map, mergeMap, pipe, type Observable, type OperatorFunction } from 'rxjs';
import type { TelemetryMessage } from './telemetry-message.js';

/**
 * One normalized event as the pipeline accepts it (structurally the `NormalizeResult` of `normalize.ts`): telemetry
 * with an optional decode error, a non-telemetry event (`iothub-message-source` other than `Telemetry`), or an event
 * without a device ID.
 */
export type PipelineInput =
  | { kind: 'telemetry'; message: TelemetryMessage; decodeError?: unknown }
  | { kind: 'non-telemetry'; messageSource: string; deviceId?: string | null }
  | { kind: 'not-watched'; deviceId: string; enqueuedTime: string }
  | { kind: 'no-device-id' };

/** A device seen on the hub: its ID and the enqueued time of the message that showed it (ISO 8601 UTC). */
export type SeenDevice = Pick<TelemetryMessage, 'deviceId' | 'enqueuedTime'>;

/** What the pipeline counts (the `/metrics` counters). */
export type PipelineCount = 'received' | 'stored' | 'not_watched' | 'no_device_id' | 'non_telemetry' | 'decode_error';

/** Dependencies injected into {@link telemetryPipeline} (the host owns them; tests pass fakes). */
export interface PipelineDeps {
  /** Registered and not inactive. */
  isWatched(deviceId: string): boolean;
  /** Stores into latest + history; false for a duplicate (partition, sequence number). */
  store(message: TelemetryMessage): boolean;
  /** Increments a counter. */
  count(what: PipelineCount): void;
  /** Every telemetry message's device, watched or not (feeds `received$`, the discovered devices). */
  onReceived?(seen: SeenDevice): void;
  /** A body that claimed or looked like JSON but did not parse (already kept as text). */
  onDecodeError?(message: TelemetryMessage, error: unknown): void;
  /** A message was stored (log line, `lastSeen`). */
  onStored?(message: TelemetryMessage): void;
  /** A dependency threw for one item; the stream goes on. */
  onItemError?(error: unknown, item: unknown): void;
}

/**
 * `map` that reports a throwing item to `onError` and drops it (as it drops `undefined`) instead of erroring the
 * whole stream. Synchronous `map` + `filter`: no inner observable per item.
 */
function mapSafely<A, B>(fn: (a: A) => B | undefined, onError: (e: unknown, a: A) => void): OperatorFunction<A, B> {
  return pipe(
    map((a: A) => {
      try {
        return fn(a);
      } catch (error) {
        onError(error, a);
        return undefined;
      }
    }),
    filter((b): b is B => b !== undefined),
  );
}

/**
 * The telemetry pipeline (a pure function of its source and deps, redux-observable style): counts every event,
 * drops events without a device ID and non-telemetry sources, keeps only watched devices, splits the stream per
 * device (`groupBy`) and stores each device's messages in order, deduplicated.
 * Per-item failures are caught inside the chain, so one bad item never ends the shared stream.
 * @returns the stream of stored messages (subscribe once; the host owns the subscription).
 */
export function telemetryPipeline(input$: Observable<PipelineInput>, deps: PipelineDeps): Observable<TelemetryMessage> {
  const onError = (error: unknown, item: unknown) => deps.onItemError?.(error, item);
  return input$.pipe(
    mapSafely<PipelineInput, TelemetryMessage>((item) => {
      deps.count('received');
      if (item.kind === 'not-watched') {
        deps.onReceived?.({ deviceId: item.deviceId, enqueuedTime: item.enqueuedTime });
        deps.count('not_watched');
        return undefined;
      }
      if (item.kind !== 'telemetry') {
        deps.count(item.kind === 'no-device-id' ? 'no_device_id' : 'non_telemetry');
        return undefined;
      }
      if (item.decodeError !== undefined) {
        deps.count('decode_error');
        deps.onDecodeError?.(item.message, item.decodeError);
      }
      deps.onReceived?.(item.message);
      return item.message;
    }, onError),
    filter((message) => {
      if (deps.isWatched(message.deviceId)) return true;
      deps.count('not_watched');
      return false;
    }),
    groupBy((message) => message.deviceId),
    mergeMap((device$) =>
      device$.pipe(
        mapSafely<TelemetryMessage, TelemetryMessage>((message) => {
          if (!deps.store(message)) return undefined;
          deps.count('stored');
          deps.onStored?.(message);
          return message;
        }, onError),
      ),
    ),
  );
}
