import { Type, type Static } from '@sinclair/typebox';
import { DevicesReply } from './devices.js';

const DeviceStatus = Type.Union([Type.Literal('registering'), Type.Literal('registered'), Type.Literal('inactive'), Type.Literal('unregistered')]);
const PropertyValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

/** A stored message as live clients see it (the fields of a `telemetry` message without `type`). */
export const LiveTelemetrySchema = Type.Object({
  deviceId: Type.String(),
  /** `<partitionId>:<sequenceNumber>`: the resume point. */
  position: Type.String(),
  /** Enqueued time, ISO 8601 UTC with milliseconds. */
  enqueuedTime: Type.String(),
  body: Type.Unknown(),
  bodyEncoding: Type.Union([Type.Literal('json'), Type.Literal('text'), Type.Literal('base64')]),
  properties: Type.Record(Type.String(), PropertyValue),
});

/** Error codes of `error` messages; the socket stays open after each. */
export const LiveErrorCodeSchema = Type.Union([Type.Literal('bad_request'), Type.Literal('not_found'), Type.Literal('limit_exceeded')]);

/** Every server → client message of `GET /api/ws`, one schema each (the source of the types below). */
export const ServerMessageSchemas = {
  telemetry: Type.Composite([Type.Object({ type: Type.Literal('telemetry') }), LiveTelemetrySchema]),
  subscribed: Type.Object({
    type: Type.Literal('subscribed'),
    deviceId: Type.String(),
    status: DeviceStatus,
    isConnected: Type.Boolean(),
    latest: Type.Union([LiveTelemetrySchema, Type.Null()]),
  }),
  /**
   * A device's status change, or a hub-wide one (no `deviceId`; `status` is then the hub consumer's state): the
   * current hub-wide one right after `auth`, then every change. `detail` (hub-wide only): the full description.
   */
  status: Type.Object({
    type: Type.Literal('status'),
    deviceId: Type.Optional(Type.String()),
    status: Type.String(),
    isConnected: Type.Boolean(),
    reason: Type.String(),
    detail: Type.Optional(Type.String()),
  }),
  reset: Type.Object({ type: Type.Literal('reset'), deviceId: Type.String() }),
  /** `deviceIds`: every refused device of one request; `deviceId` too when exactly one was refused. */
  error: Type.Object({
    type: Type.Literal('error'),
    error: LiveErrorCodeSchema,
    message: Type.String(),
    deviceId: Type.Optional(Type.String()),
    deviceIds: Type.Optional(Type.Array(Type.String())),
  }),
  dropped: Type.Object({ type: Type.Literal('dropped'), deviceId: Type.String(), count: Type.Integer({ minimum: 1 }) }),
  pong: Type.Object({ type: Type.Literal('pong') }),
  /** The registered devices, as `GET /api/devices` answers: after `auth`, then on every change (at most once a second). */
  devices: Type.Composite([Type.Object({ type: Type.Literal('devices') }), DevicesReply]),
};

/** The union of every server → client message. */
export const ServerMessageSchema = Type.Union(Object.values(ServerMessageSchemas));

export type LiveTelemetry = Static<typeof LiveTelemetrySchema>;
export type LiveErrorCode = Static<typeof LiveErrorCodeSchema>;
export type ServerMessage = Static<typeof ServerMessageSchema>;
/** One server message by its `type`. */
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
