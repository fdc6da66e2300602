import { Type, type Static } from '@sinclair/typebox';
import { DeviceIdSchema } from './device-id.js';

/** `fields` query parameter: comma-separated paths into the JSON body (`voltage,voltages[1],env.temperature`). */
export const FieldsQueryParam = Type.String({
  minLength: 1,
  maxLength: 16_384,
  description: 'Only these body fields, comma-separated paths (`voltage,voltages[1],env.temperature`): body becomes { "<path>": value }',
});

/** `GET /api/telemetry` querystring: `deviceId` optional (default device), `fields` optional. */
export const LatestQuery = Type.Object({
  deviceId: Type.Optional(Type.Unsafe<string>(DeviceIdSchema)),
  fields: Type.Optional(FieldsQueryParam),
});
export type LatestQuery = Static<typeof LatestQuery>;

/** Export formats of the history route (`format=`, else the `Accept` header; JSON by default). */
export const HistoryFormat = Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('ndjson')]);
export type HistoryFormat = Static<typeof HistoryFormat>;

/**
 * `GET /api/devices/{deviceId}/telemetry` querystring: `since`/`until` ISO 8601 enqueued times (inclusive),
 * `limit` 1…HISTORY_LIMIT (default 100 for JSON, HISTORY_LIMIT for an export; the upper bound is checked in the
 * handler), `fields`, `format`.
 */
export const HistoryQuery = Type.Object({
  since: Type.Optional(Type.String({ minLength: 1 })),
  until: Type.Optional(Type.String({ minLength: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Only the messages of this module of the device. */
  moduleId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  fields: Type.Optional(FieldsQueryParam),
  format: Type.Optional(HistoryFormat),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

const PropertyValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** A stored, normalized device-to-cloud message (see `TelemetryMessage`); times ISO 8601 UTC. */
export const TelemetryMessageSchema = Type.Object({
  deviceId: Type.String(),
  moduleId: NullableString,
  enqueuedTime: Type.String(),
  partitionId: Type.String(),
  sequenceNumber: Type.Integer(),
  offset: Type.String(),
  contentType: NullableString,
  contentEncoding: NullableString,
  messageId: NullableString,
  properties: Type.Record(Type.String(), PropertyValue),
  creationTime: NullableString,
  body: Type.Unknown(),
  bodyEncoding: Type.Union([Type.Literal('json'), Type.Literal('text'), Type.Literal('base64')]),
  /** The decoding steps applied to the body bytes, in order (e.g. `["gzip", "cbor"]`); absent when none beyond text. */
  bodyFormat: Type.Optional(Type.Array(Type.String())),
}, { additionalProperties: true });

/** `GET /api/devices/{deviceId}/telemetry` JSON answer: `{ deviceId, items }`, newest first. */
export const HistoryReply = Type.Object({ deviceId: Type.String(), items: Type.Array(TelemetryMessageSchema) });

/** `GET /api/telemetry` answer: the envelope and the body's (or the selected) fields at the top level. */
export const LatestReply = Type.Object({
  deviceId: Type.String(),
  timestamp: NullableString,
  isConnected: Type.Boolean(),
}, { additionalProperties: true });
