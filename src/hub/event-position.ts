import { earliestEventPosition, latestEventPosition, type EventPosition } from '@azure/event-hubs';

/**
 * The gateway's start position (`START_POSITION`) as an Event Hubs `EventPosition`: `latest` → `@latest`, `earliest`
 * → offset `-1`, a time → events enqueued after it (`enqueuedOn`).
 */
export function toEventPosition(position: 'latest' | 'earliest' | Date): EventPosition {
  if (position === 'latest') return latestEventPosition;
  if (position === 'earliest') return earliestEventPosition;
  return { enqueuedOn: position };
}
