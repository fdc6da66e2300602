import type { ConnectionState, HubEvent, HubEventType } from '../schemas/live-messages.js';
import { parsePosition } from '../telemetry/telemetry-message.js';
import { toIsoTime } from '../telemetry/property-values.js';

/** One device's hub events and the connection state they report; held in memory only (empty after a restart). */
export interface HubEventLog {
  /** The latest events, oldest first, at most the log's limit. */
  events: HubEvent[];
  connectionState: ConnectionState;
  /** ISO 8601 UTC: the `operationTimestamp` of the event that set `connectionState` (its enqueued time without one). */
  connectionStateUpdatedAt: string | null;
  /** The `sequenceNumber` (hex string) of that event: a connection event orders against it as a string. */
  connectionSequence: string | null;
  /** The last kept sequence number per partition: a batch read again after a failed append is not kept twice. */
  lastSequence: Map<string, number>;
}

/** A fresh, empty log (`connectionState` null: the hub never said). */
export function createHubEventLog(): HubEventLog {
  return { events: [], connectionState: null, connectionStateUpdatedAt: null, connectionSequence: null, lastSequence: new Map() };
}

/** What {@link recordHubEvent} did with an event. */
export type RecordOutcome = 'duplicate' | 'kept' | 'state-changed';

/**
 * Keeps `event` (dropping the oldest past `limit`) and, for a device's own (no module) `deviceConnected` /
 * `deviceDisconnected` whose body's `sequenceNumber` is greater, compared as strings, than the one that set the
 * state, updates the connection state (an older event arriving late does not override it).
 */
export function recordHubEvent(log: HubEventLog, event: HubEvent, limit: number): RecordOutcome {
  const at = parsePosition(event.position);
  if (at) {
    const last = log.lastSequence.get(at.partitionId);
    if (last !== undefined && at.sequenceNumber <= last) return 'duplicate';
    log.lastSequence.set(at.partitionId, at.sequenceNumber);
  }
  log.events.push(event);
  while (log.events.length > Math.max(1, limit)) log.events.shift();
  const state = connectionStateOf(event);
  const sequence = sequenceNumberOf(event.body);
  if (state === null || sequence === null || event.moduleId !== null) return 'kept';
  if (log.connectionSequence !== null && sequence <= log.connectionSequence) return 'kept';
  const changed = log.connectionState !== state;
  log.connectionState = state;
  log.connectionSequence = sequence;
  log.connectionStateUpdatedAt = toIsoTime(event.properties.operationTimestamp) ?? event.enqueuedTime;
  return changed ? 'state-changed' : 'kept';
}

/** Filters of {@link queryHubEvents}. */
export interface HubEventQuery {
  type?: HubEventType;
  /** ISO 8601 UTC: events enqueued at or after it. */
  since?: string;
  limit: number;
}

/** The log's events matching `query`, newest first, at most `query.limit`. */
export function queryHubEvents(log: HubEventLog, query: HubEventQuery): HubEvent[] {
  const items: HubEvent[] = [];
  for (let i = log.events.length - 1; i >= 0 && items.length < query.limit; i -= 1) {
    const event = log.events[i] as HubEvent;
    if (query.type !== undefined && event.eventType !== query.type) continue;
    if (query.since !== undefined && event.enqueuedTime < query.since) continue;
    items.push(event);
  }
  return items;
}

function connectionStateOf(event: HubEvent): ConnectionState {
  if (event.eventType !== 'deviceConnectionStateEvents') return null;
  return event.opType === 'deviceConnected' ? 'connected' : event.opType === 'deviceDisconnected' ? 'disconnected' : null;
}

function sequenceNumberOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object') return null;
  const value = (body as { sequenceNumber?: unknown }).sequenceNumber;
  return typeof value === 'string' && value !== '' ? value : null;
}
