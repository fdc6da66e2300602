import { earliestEventPosition, type EventPosition, type PartitionProperties } from '@azure/event-hubs';
import type { Clock } from '../config/clock.js';
import { HubTimeoutError } from './hub-probe.js';

/** Longest wait for one attempt's management calls, in ms. */
const PLAN_TIMEOUT_MS = 30_000;
/** Pause between attempts, in ms. */
const PLAN_RETRY_MS = 2_000;

/** The management calls a start plan needs (an `EventHubConsumerClient` fits). */
export interface PartitionReader {
  getPartitionIds(options: { abortSignal: AbortSignal }): Promise<string[]>;
  getPartitionProperties(partitionId: string, options: { abortSignal: AbortSignal }): Promise<PartitionProperties>;
}

/** Where each partition starts, and the last sequence number it has nothing to deliver up to. */
export interface StartPlan {
  partitionIds: string[];
  /** The SDK's per-partition `startPosition` map. */
  positions: Record<string, EventPosition>;
  /** Per partition: events up to this sequence number are not expected (before the start, or none there). */
  settled: Map<string, number>;
  /** Every partition's properties as read for the plan. */
  properties: PartitionProperties[];
}

/**
 * One partition's start. `latest` is pinned to the partition's last enqueued sequence number (exclusive), because
 * the SDK re-sends a partition's original position on every link re-creation until it delivered an event, and
 * `@latest` would then skip what was enqueued during the outage. An empty partition starts at `earliest`, so its
 * first event is not skipped. Other positions are kept: re-resolving them loses nothing.
 */
export function partitionStart(position: EventPosition, p: PartitionProperties): { position: EventPosition; settled: number } {
  const last = p.lastEnqueuedSequenceNumber;
  if (position.offset === '@latest') {
    return { position: p.isEmpty ? earliestEventPosition : { sequenceNumber: last, isInclusive: false }, settled: last };
  }
  let pending = false;
  if (position.offset === earliestEventPosition.offset) pending = !p.isEmpty;
  else if (position.enqueuedOn !== undefined) pending = !p.isEmpty && p.lastEnqueuedOnUtc.getTime() > new Date(position.enqueuedOn).getTime();
  return { position, settled: pending ? p.beginningSequenceNumber - 1 : last };
}

/**
 * Reads the partition IDs and every partition's properties, and plans each partition's start from `position`
 * (see {@link partitionStart}).
 * @throws the SDK's error when a management call fails, or the abort reason when `abortSignal` fires.
 */
export async function planStart(reader: PartitionReader, position: EventPosition, abortSignal: AbortSignal): Promise<StartPlan> {
  const partitionIds = await reader.getPartitionIds({ abortSignal });
  const properties = await Promise.all(partitionIds.map((id) => reader.getPartitionProperties(id, { abortSignal })));
  const positions: Record<string, EventPosition> = {};
  const settled = new Map<string, number>();
  for (const p of properties) {
    const start = partitionStart(position, p);
    positions[p.partitionId] = start.position;
    settled.set(p.partitionId, start.settled);
  }
  return { partitionIds, positions, settled, properties };
}

/**
 * `attempt` (a {@link planStart}, with what must precede it) until it succeeds: each attempt is aborted after 30 s,
 * failures go to `onError` and are retried after 2 s, all on `clock`.
 * @returns the plan, or null once `live()` is false (the consumer was closed).
 */
export async function planStartWithRetries(
  attempt: (abortSignal: AbortSignal) => Promise<StartPlan>,
  o: { clock: Clock; live(): boolean; onError(error: unknown): void },
): Promise<StartPlan | null> {
  while (o.live()) {
    const abort = new AbortController();
    const timer = o.clock.setTimeout(() => abort.abort(new HubTimeoutError(PLAN_TIMEOUT_MS)), PLAN_TIMEOUT_MS);
    try {
      const plan = await attempt(abort.signal);
      return o.live() ? plan : null;
    } catch (error) {
      if (!o.live()) return null;
      o.onError(error);
      await new Promise((resolve) => o.clock.setTimeout(() => resolve(undefined), PLAN_RETRY_MS));
    } finally {
      timer.cancel();
    }
  }
  return null;
}
