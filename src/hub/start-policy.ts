import { latestEventPosition, type Checkpoint, type EventPosition } from '@azure/event-hubs';
import type { CheckpointScope, GatewayCheckpointStore } from '../store/telemetry-store.js';
import type { Clock } from '../config/clock.js';
import { planStart, planStartWithRetries, type PartitionReader, type StartPlan } from './start-plan.js';

/** Longest wait for another instance resolving `latest` after an idle close (shared stores), in ms. */
const IDLE_LOCK_TIMEOUT_MS = 30_000;

/**
 * The checkpoints at each partition's last enqueued event (an empty partition has none): what `latest` means for a
 * consumer that reopens after an idle close.
 * @throws the SDK's error when a management call fails.
 */
export async function latestCheckpoints(reader: PartitionReader, scope: CheckpointScope, abortSignal: AbortSignal): Promise<Checkpoint[]> {
  const ids = await reader.getPartitionIds({ abortSignal });
  const properties = await Promise.all(ids.map((id) => reader.getPartitionProperties(id, { abortSignal })));
  return properties
    .filter((p) => !p.isEmpty)
    .map((p) => ({ ...scope, partitionId: p.partitionId, sequenceNumber: p.lastEnqueuedSequenceNumber, offset: p.lastEnqueuedOffset }));
}

/**
 * Where an open of the consumer starts, in one place:
 * - a checkpoint, when the store has one for the partition, wins over `START_POSITION` (the SDK reads checkpoints
 *   before it looks at the start position): after a restart or a crash reading resumes right after what was stored;
 * - after an idle close (the consumer was closed on purpose because no device was watched, recorded by
 *   `markIdle`), the first open resolves `latest`: the checkpoints are replaced by the partitions' last enqueued
 *   events, so what nobody watched is not replayed (one instance does this, under the store's lock);
 * - otherwise `START_POSITION`.
 * `latest` is then pinned per partition before subscribing (see `start-plan.ts`), so a reconnect never re-resolves it.
 * @returns the position for partitions without a checkpoint.
 * @throws what resolving `latest` throws (the idle mark stays for the next attempt).
 */
export async function startPositionFor(
  configured: EventPosition,
  store: GatewayCheckpointStore,
  scope: CheckpointScope,
  reader: PartitionReader,
  abortSignal: AbortSignal,
): Promise<EventPosition> {
  const reopened = await store.reopenAtLatest(scope, () => latestCheckpoints(reader, scope, abortSignal), IDLE_LOCK_TIMEOUT_MS);
  return reopened ? latestEventPosition : configured;
}

/**
 * The open's plan: {@link startPositionFor}, then `planStart`, retried every 2 s while `live()` (each failure goes to
 * `onError`), on `clock`. @returns the plan, or null once the consumer was closed.
 */
export function planOpen(o: {
  configured: EventPosition;
  store: GatewayCheckpointStore;
  scope: CheckpointScope;
  reader: PartitionReader;
  clock: Clock;
  live(): boolean;
  onError(error: unknown): void;
}): Promise<StartPlan | null> {
  const attempt = async (abortSignal: AbortSignal) => {
    const position = await startPositionFor(o.configured, o.store, o.scope, o.reader, abortSignal);
    return planStart(o.reader, position, abortSignal);
  };
  return planStartWithRetries(attempt, { clock: o.clock, live: () => o.live(), onError: (error) => o.onError(error) });
}
