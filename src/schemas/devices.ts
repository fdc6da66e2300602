import { Type, type Static } from '@sinclair/typebox';
import { DeviceIdSchema } from './device-id.js';

const DeviceId = Type.Unsafe<string>(DeviceIdSchema);

/** Path parameters `{ deviceId }` (fastify has already URL-decoded them). */
export const DeviceIdParams = Type.Object({ deviceId: DeviceId });
export type DeviceIdParams = Static<typeof DeviceIdParams>;

/**
 * Units of a device's telemetry fields: field path (a top-level body field, or `a.b` for a nested one) → unit shown on
 * its chart axis (`V`, `A`, `kW`, `°C`). At most 64 fields; names up to 128 characters, units 1–16.
 */
export const Units = Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ minLength: 1, maxLength: 16 }), {
  maxProperties: 64,
});
export type Units = Static<typeof Units>;

/** A device ID glob: `*` any run of characters, `?` one; otherwise the characters of a device ID, matched case-sensitively. */
export const DeviceIdPattern = Type.String({
  minLength: 1, maxLength: 128, description: 'glob over whole device IDs: * any run, ? one character (case-sensitive)',
});

/**
 * `POST /api/register-device` body: `deviceId` or `deviceIdPattern` (exactly one); `units` optional (kept with the
 * registration, replaced on re-registration; a pattern's go to the devices it registers).
 */
export const RegisterBody = Type.Object({ deviceId: Type.Optional(DeviceId), deviceIdPattern: Type.Optional(DeviceIdPattern), units: Type.Optional(Units) });
export type RegisterBody = Static<typeof RegisterBody>;

/** Answer of register / unregister: `{ deviceId, status, message }`. */
export const RegistrationReply = Type.Object({
  deviceId: Type.String(),
  status: Type.String({ description: 'registering | registered | inactive | unregistered' }),
  message: Type.String(),
});

/** Answer of registering / unregistering a pattern; `unregisteredDevices` only on unregistration. */
export const PatternReply = Type.Object({
  deviceIdPattern: Type.String(),
  registeredAt: Type.String(),
  status: Type.String({ description: 'registered | unregistered' }),
  message: Type.String(),
  unregisteredDevices: Type.Optional(Type.Array(Type.String(), { description: 'devices registered through this pattern alone' })),
});

/** Path parameters `{ pattern }` of `DELETE /api/unregister-pattern/{pattern}` (URL-encoded: `?` as `%3F`). */
export const PatternParams = Type.Object({ pattern: DeviceIdPattern });
export type PatternParams = Static<typeof PatternParams>;

/** One device in `GET /api/devices`. Times ISO 8601 UTC. */
export const DeviceSummary = Type.Object({
  deviceId: Type.String(),
  registeredAt: Type.String(),
  lastSeen: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'registering | registered | inactive' }),
  isConnected: Type.Boolean(),
  /** The registration's units (`{}` when none were given). */
  units: Units,
  /** The hub's connection state of the device (`null` when the hub never said) and when it last changed. */
  connectionState: Type.Optional(Type.Union([Type.Literal('connected'), Type.Literal('disconnected'), Type.Null()])),
  connectionStateUpdatedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type DeviceSummary = Static<typeof DeviceSummary>;

/** `GET /api/devices` answer. */
export const DevicesReply = Type.Object({
  devices: Type.Array(DeviceSummary),
  defaultDevice: Type.Union([Type.String(), Type.Null()]),
  /** Registered device ID patterns (globs with `*` and `?`). */
  patterns: Type.Array(Type.Object({ deviceIdPattern: Type.String(), registeredAt: Type.String() })),
});
export type DevicesReply = Static<typeof DevicesReply>;

/** `GET /api/hub/devices` answer: device IDs seen on the hub, most recently seen first (`lastSeen` an enqueued time). */
export const HubDevicesReply = Type.Object({
  devices: Type.Array(Type.Object({ deviceId: Type.String(), lastSeen: Type.String(), messageCount: Type.Integer({ minimum: 1 }) })),
});
