import type { Checkpoint, ReceivedEventData } from '@azure/event-hubs';
import { EMPTY, catchError, concatMap, defer, finalize, groupBy, mergeMap, type Observable, type ObservableInput } from 'rxjs';
import { CheckpointNotWrittenError } from './checkpoint-not-written.js';
import type { HubEvent } from '../schemas/live-messages.js';
import { normalizeEvent, type NormalizeOptions } from './normalize.js';
import type { TelemetryMessage } from './telemetry-message.js';

/** One batch as the hub consumer hands it over: the events read from one partition and its checkpoint. */
export interface HubBatch {
  partitionId: string;
  events: readonly ReceivedEventData[];
  /** The batch's last event as a checkpoint (`null` for an empty batch). */
  checkpoint: Checkpoint | null;
  /**
   * Called once the batch is stored (no argument) or failed to store (the append's error), so the consumer reads
   * the next batch only then (backpressure) and, after a failure, rereads the batch instead of moving past it.
   */
  settled?: (error?: unknown) => void;
}

/** A device seen on the hub: its ID and the enqueued time of the message that showed it (ISO 8601 UTC). */
export type SeenDevice = Pick<TelemetryMessage, 'deviceId' | 'enqueuedTime'>;

/** What the pipeline counts (the `/metrics` counters). */
export type PipelineCount = 'received' | 'stored' | 'not_watched' | 'no_device_id' | 'non_telemetry' | 'hub_event' | 'decode_error';

/** Dependencies injected into {@link ingestPipeline} (the host owns them; tests pass fakes). */
export interface IngestDeps {
  /** Registered and not inactive: the one "watched?" decision; bodies of other devices are never decoded. */
  isWatched(deviceId: string): boolean;
  /** Stores the watched messages of a batch with its checkpoints (`TelemetryStore.append`); emits what was stored. */
  append(messages: TelemetryMessage[], checkpoints: Checkpoint[]): ObservableInput<TelemetryMessage[]>;
  /** Adds `n` (default 1) to a counter; the pipeline calls it once per batch and counter, not per event. */
  count(what: PipelineCount, n?: number): void;
  /** Every telemetry message's device, watched or not (the discovered devices). */
  onReceived?(seen: SeenDevice): void;
  /** How bodies are decoded (inflate limit, Protobuf types); defaults when absent. */
  decode?: NormalizeOptions;
  /** A body counted as a decode error (kept as text, or as base64 of the bytes received). */
  onDecodeError?(message: TelemetryMessage, error: string): void;
  /**
   * A connection state, twin change or lifecycle event of a watched device, in arrival order; never appended with the
   * telemetry (the registry keeps it).
   */
  onHubEvent?(event: HubEvent): void;
  /** A message was stored (log line, `lastSeen`). */
  onStored?(message: TelemetryMessage): void;
  /** An event or a batch failed (a throwing dependency, a failed append); the stream goes on. */
  onItemError?(error: unknown, item: unknown): void;
}

/** Per-batch tallies, handed to `count` once per batch (a counter increment per event costs more than the event). */
class Tally {
  received = 0;
  notWatched = 0;
  noDeviceId = 0;
  hubEvent = 0;
  nonTelemetry = 0;
  decodeError = 0;

  flush(count: IngestDeps['count']): void {
    const add = (what: PipelineCount, n: number): void => {
      if (n > 0) count(what, n);
    };
    add('received', this.received);
    add('not_watched', this.notWatched);
    add('no_device_id', this.noDeviceId);
    add('hub_event', this.hubEvent);
    add('non_telemetry', this.nonTelemetry);
    add('decode_error', this.decodeError);
  }
}

/** Normalizes one batch and counts its events. @returns the watched telemetry messages, in order. */
function watchedMessages(batch: HubBatch, deps: IngestDeps): TelemetryMessage[] {
  const messages: TelemetryMessage[] = [];
  const tally = new Tally();
  const isWatched = (id: string): boolean => deps.isWatched(id);
  try {
    for (const event of batch.events) {
      try {
        tally.received += 1;
        const item = normalizeEvent(event, batch.partitionId, isWatched, deps.decode);
        if (item.kind === 'not-watched') {
          tally.notWatched += 1;
          deps.onReceived?.(item);
        } else if (item.kind === 'no-device-id') {
          tally.noDeviceId += 1;
        } else if (item.kind === 'hub-event') {
          tally.hubEvent += 1;
          deps.onHubEvent?.(item.event);
        } else if (item.kind === 'non-telemetry') {
          tally.nonTelemetry += 1;
        } else {
          if (item.decodeError !== undefined) {
            tally.decodeError += 1;
            deps.onDecodeError?.(item.message, item.decodeError);
          }
          deps.onReceived?.(item.message);
          messages.push(item.message);
        }
      } catch (error) {
        deps.onItemError?.(error, event);
      }
    }
  } finally {
    try {
      tally.flush((what, n) => deps.count(what, n));
    } catch (error) {
      deps.onItemError?.(error, batch);
    }
  }
  return messages;
}

/**
 * The ingest pipeline, a pure function of its source and deps (redux-observable style): each hub batch is normalized
 * (one "watched?" decision per event), its watched messages are appended to the store together with the batch's
 * checkpoint, batch after batch in arrival order within a partition (partitions side by side), and every stored
 * message is emitted.
 * Failures are caught per event and per batch, so one bad item never ends the stream; a batch the store did not
 * take is settled with the error, so the consumer rereads it.
 * @returns the stream of stored messages, all devices: the one live source (share it; the host owns the subscription).
 */
export function ingestPipeline(batches$: Observable<HubBatch>, deps: IngestDeps): Observable<TelemetryMessage> {
  return batches$.pipe(
    // Partitions are independent logs: each one's batches are stored one after the other, in order, while batches of
    // different partitions are stored at the same time (a durable store then commits them together). At most one
    // group per partition of the hub (32 at most on IoT Hub).
    groupBy((batch) => batch.partitionId),
    mergeMap((partition$) => partition$.pipe(concatMap((batch) => storeBatch(batch, deps)))),
  );
}

/** Normalizes and stores one batch with its checkpoint; emits what was stored; settles the batch once done. */
function storeBatch(batch: HubBatch, deps: IngestDeps): Observable<TelemetryMessage> {
  let failure: unknown;
  const announce = (stored: TelemetryMessage[]): TelemetryMessage[] => {
    if (stored.length > 0) deps.count('stored', stored.length);
    if (deps.onStored) for (const message of stored) deps.onStored(message);
    return stored;
  };
  return defer(() => deps.append(watchedMessages(batch, deps), batch.checkpoint ? [batch.checkpoint] : [])).pipe(
    mergeMap((stored) => announce(stored)),
    catchError((error: unknown) => {
      failure = error ?? new Error('append failed');
      deps.onItemError?.(error, batch);
      // Stored without its checkpoint: live, though the partition rereads the batch (deduped by the store).
      return error instanceof CheckpointNotWrittenError ? announce(error.stored) : EMPTY;
    }),
    finalize(() => batch.settled?.(failure)),
  );
}
