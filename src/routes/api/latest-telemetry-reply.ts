import type { TelemetryMessage } from '../../telemetry/telemetry-message.js';

/**
 * The body of `GET /api/telemetry`:
 * - JSON object body: `{ deviceId, timestamp, isConnected, ...the body's fields }` (envelope keys win);
 * - any other body: `{ deviceId, timestamp, isConnected, body, bodyEncoding }` (and `bodyFormat` when it has one);
 * - no message yet: `{ deviceId, timestamp: null, isConnected }`.
 * `timestamp` is the enqueued time, ISO 8601 UTC.
 */
export function latestTelemetryReply(
  deviceId: string,
  latest: TelemetryMessage | undefined,
  isConnected: boolean,
): Record<string, unknown> {
  const reply: Record<string, unknown> = { deviceId, timestamp: latest?.enqueuedTime ?? null, isConnected };
  if (!latest) return reply;
  const { body } = latest;
  if (latest.bodyEncoding === 'json' && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
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

/** Per stored message, its serialized reply for `isConnected` false (index 0) and true (index 1), made on demand. */
const serialized = new WeakMap<TelemetryMessage, [string | undefined, string | undefined]>();

/**
 * {@link latestTelemetryReply} as JSON text (`JSON.stringify`, as fastify's default serializer), made once per stored
 * message and `isConnected` value: polling clients ask for the same latest message many times, and the reply
 * object of a JSON body costs one property definition per body field. The cache forgets a message with the message.
 */
export function latestTelemetryJson(deviceId: string, latest: TelemetryMessage | undefined, isConnected: boolean): string {
  if (!latest || latest.deviceId !== deviceId) return JSON.stringify(latestTelemetryReply(deviceId, latest, isConnected));
  let texts = serialized.get(latest);
  if (!texts) serialized.set(latest, (texts = [undefined, undefined]));
  const index = isConnected ? 1 : 0;
  return (texts[index] ??= JSON.stringify(latestTelemetryReply(deviceId, latest, isConnected)));
}
