import { latestEventPosition, type EventPosition } from '@azure/event-hubs';
import type { GatewayCheckpointStore } from '../store/telemetry-store.js';
import type { OpenReason } from './demand-loop.js';

/**
 * Where an open of the consumer starts, in one place:
 * - the first open (`start`): `START_POSITION`; a checkpoint in the store, when there is one, wins (the SDK reads
 *   checkpoints before it looks at the start position);
 * - a reopen after every device went unwatched (`reopen`): `latest`, and the checkpoints are forgotten, so what
 *   nobody watched is not replayed.
 * `latest` is then pinned per partition before subscribing (see `start-plan.ts`), so a reconnect never re-resolves it.
 */
export function startPositionFor(reason: OpenReason, configured: EventPosition, checkpoints: GatewayCheckpointStore): EventPosition {
  if (reason === 'start') return configured;
  checkpoints.clearCheckpoints();
  return latestEventPosition;
}
