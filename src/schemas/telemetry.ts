import { Type, type Static } from '@sinclair/typebox';
import { DeviceIdSchema } from './device-id.js';

/** `GET /api/telemetry` querystring: `deviceId` optional (default device). */
export const LatestQuery = Type.Object({ deviceId: Type.Optional(Type.Unsafe<string>(DeviceIdSchema)) });
export type LatestQuery = Static<typeof LatestQuery>;

/**
 * `GET /api/devices/{deviceId}/telemetry` querystring: `since`/`until` ISO 8601 enqueued times (inclusive),
 * `limit` 1…HISTORY_LIMIT (default 100; the upper bound is checked in the handler).
 */
export const HistoryQuery = Type.Object({
  since: Type.Optional(Type.String({ minLength: 1 })),
  until: Type.Optional(Type.String({ minLength: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

const PropertyValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

/**
 * A stored message as the REST API and SSE send it (`TelemetryMessage`), fields in the order the gateway writes them;
 * times ISO 8601 UTC. Further fields pass through unchanged (`additionalProperties`), as the serializer would drop them.
 */
export const TelemetryMessageSchema = Type.Object({
  deviceId: Type.String(),
  moduleId: Type.Union([Type.String(), Type.Null()]),
  enqueuedTime: Type.String({ description: 'enqueued time, ISO 8601 UTC' }),
  partitionId: Type.String(),
  sequenceNumber: Type.Integer(),
  offset: Type.String(),
  contentType: Type.Union([Type.String(), Type.Null()]),
  contentEncoding: Type.Union([Type.String(), Type.Null()]),
  messageId: Type.Union([Type.String(), Type.Null()]),
  properties: Type.Record(Type.String(), PropertyValue, { description: 'application properties, AMQP types kept' }),
  creationTime: Type.Union([Type.String(), Type.Null()], { description: 'iothub-creation-time-utc, ISO 8601 UTC' }),
  body: Type.Unknown({ description: 'the decoded body (see bodyEncoding): any JSON value, a text, or base64' }),
  bodyEncoding: Type.Union([Type.Literal('json'), Type.Literal('text'), Type.Literal('base64')]),
}, { additionalProperties: true });

/** `GET /api/devices/{deviceId}/telemetry` answer: `{ deviceId, items }`, newest first. */
export const HistoryReply = Type.Object({ deviceId: Type.String(), items: Type.Array(TelemetryMessageSchema) });

/**
 * `GET /api/telemetry` answer: the envelope, then a JSON object body's own fields (envelope keys win); any other body
 * as `body` + `bodyEncoding`; `timestamp` null before the first message. Sent pre-serialized, so never reshaped here.
 */
export const LatestTelemetryReply = Type.Object({
  deviceId: Type.String(),
  timestamp: Type.Union([Type.String(), Type.Null()], { description: 'enqueued time of the latest message, ISO 8601 UTC' }),
  isConnected: Type.Boolean(),
  body: Type.Optional(Type.Unknown()),
  bodyEncoding: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('text'), Type.Literal('base64')])),
}, { additionalProperties: true });
