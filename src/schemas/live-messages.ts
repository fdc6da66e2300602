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
  /** The decoding steps applied to the body bytes, in order (e.g. `["gzip", "cbor"]`); absent when none beyond text. */
  bodyFormat: Type.Optional(Type.Array(Type.String())),
  /** The module that sent the message (`iothub-connection-module-id`); absent for a device's own messages. */
  moduleId: Type.Optional(Type.String()),
});

/** A device's connection state as the hub last reported it; `null` when the hub never said. */
export const ConnectionStateSchema = Type.Union([Type.Literal('connected'), Type.Literal('disconnected'), Type.Null()]);

/** The kinds of IoT Hub non-telemetry events the gateway keeps (the routing sources of the built-in endpoint). */
export const HubEventTypeSchema = Type.Union([
  Type.Literal('deviceConnectionStateEvents'),
  Type.Literal('twinChangeEvents'),
  Type.Literal('deviceLifecycleEvents'),
]);

/**
 * One IoT Hub non-telemetry event of a device (connection state, twin change, lifecycle), kept apart from telemetry.
 * `opType` e.g. `deviceConnected`, `updateTwin`, `createDeviceIdentity`; `properties` its application properties
 * (`opType`, `hubName`, `deviceId`, `iothub-message-schema`, `operationTimestamp`, …); `body` the decoded event body.
 */
export const HubEventSchema = Type.Object({
  deviceId: Type.String(),
  moduleId: Type.Union([Type.String(), Type.Null()]),
  eventType: HubEventTypeSchema,
  opType: Type.String(),
  position: Type.String(),
  enqueuedTime: Type.String(),
  properties: Type.Record(Type.String(), PropertyValue),
  body: Type.Unknown(),
});

/** Aggregate functions over numeric fields. */
export const AggregateFnSchema = Type.Union([
  Type.Literal('min'), Type.Literal('max'), Type.Literal('avg'), Type.Literal('sum'),
  Type.Literal('count'), Type.Literal('first'), Type.Literal('last'),
]);

/** One time bucket of an aggregate: `[start, end)` ISO 8601 UTC, the messages in it, per field and function a number. */
export const AggregateBucketSchema = Type.Object({
  start: Type.String(),
  end: Type.String(),
  count: Type.Integer({ minimum: 0 }),
  values: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number())),
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
    /** Device status only: the hub's connection state of the device, and when it last changed (ISO 8601 UTC). */
    connectionState: Type.Optional(ConnectionStateSchema),
    connectionStateUpdatedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
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
  /** A non-telemetry hub event of a device subscribed with `hubEvents: true`. */
  hubEvent: Type.Composite([Type.Object({ type: Type.Literal('hubEvent') }), HubEventSchema]),
  /** A closed bucket of a live aggregate (`subscribe` with `aggregate`); `position` is its last message's. */
  aggregate: Type.Composite([
    Type.Object({ type: Type.Literal('aggregate'), deviceId: Type.String(), interval: Type.String(), position: Type.String() }),
    AggregateBucketSchema,
  ]),
};

/** The union of every server → client message. */
export const ServerMessageSchema = Type.Union(Object.values(ServerMessageSchemas));

export type LiveTelemetry = Static<typeof LiveTelemetrySchema>;
export type LiveErrorCode = Static<typeof LiveErrorCodeSchema>;
export type ConnectionState = Static<typeof ConnectionStateSchema>;
export type HubEventType = Static<typeof HubEventTypeSchema>;
export type HubEvent = Static<typeof HubEventSchema>;
export type AggregateFn = Static<typeof AggregateFnSchema>;
export type AggregateBucket = Static<typeof AggregateBucketSchema>;
export type ServerMessage = Static<typeof ServerMessageSchema>;
/** One server message by its `type`. */
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
