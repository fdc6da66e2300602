import { selectedBody, MAX_SELECTIONS_PER_MESSAGE, type FieldSelection } from '../../telemetry/field-selection.js';
import { MessageCache } from '../../telemetry/message-cache.js';
import type { TelemetryMessage } from '../../telemetry/telemetry-message.js';

/**
 * The body of `GET /api/telemetry`:
 * - JSON object body: `{ deviceId, timestamp, isConnected, ...the body's fields }` (envelope keys win);
 * - any other body: `{ deviceId, timestamp, isConnected, body, bodyEncoding }` (and `bodyFormat` when it has one);
 * - no message yet: `{ deviceId, timestamp: null, isConnected }`;
 * - with a `selection`: `{ deviceId, timestamp, isConnected, "<path>": value, … }` (`selectedBody`; a body that is not
 *   a JSON object selects nothing).
 * `timestamp` is the enqueued time, ISO 8601 UTC.
 */
export function latestTelemetryReply(
  deviceId: string,
  latest: TelemetryMessage | undefined,
  isConnected: boolean,
  selection?: FieldSelection,
): Record<string, unknown> {
  const reply: Record<string, unknown> = { deviceId, timestamp: latest?.enqueuedTime ?? null, isConnected };
  if (!latest) return reply;
  const body = selection ? selectedBody(latest, selection) : latest.body;
  if (selection || (latest.bodyEncoding === 'json' && typeof body === 'object' && body !== null && !Array.isArray(body))) {
    for (const [key, value] of Object.entries(body as object)) {
      // defineProperty: a body key such as "__proto__" stays plain data.
      if (!Object.hasOwn(reply, key)) Object.defineProperty(reply, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return reply;
  }
  reply.body = body;
  reply.bodyEncoding = latest.bodyEncoding;
  if (latest.bodyFormat) reply.bodyFormat = latest.bodyFormat;
  return reply;
}

/** Per stored message, its serialized replies by `isConnected` and selection, made on demand. */
const serialized = new MessageCache<string>(2 * (MAX_SELECTIONS_PER_MESSAGE + 1));

/**
 * {@link latestTelemetryReply} as JSON text (`JSON.stringify`, as fastify's default serializer), made once per stored
 * message, `isConnected` value and field selection: polling clients ask for the same latest message many times, and the reply
 * object of a JSON body costs one property definition per body field. The cache forgets a message with the message.
 */
export function latestTelemetryJson(
  deviceId: string,
  latest: TelemetryMessage | undefined,
  isConnected: boolean,
  selection?: FieldSelection,
): string {
  if (!latest || latest.deviceId !== deviceId) return JSON.stringify(latestTelemetryReply(deviceId, latest, isConnected, selection));
  const key = selection ? `${isConnected ? 1 : 0}:${selection.key}` : isConnected ? '1:' : '0:';
  // A kept reply is read without making a closure: this runs once per request.
  return serialized.peek(latest, key)
    ?? serialized.get(latest, key, () => JSON.stringify(latestTelemetryReply(deviceId, latest, isConnected, selection)));
}
