import { Type } from '@sinclair/typebox';
import { DeviceIdSchema } from './device-id.js';
const DeviceId = Type.Unsafe(DeviceIdSchema);
/** Path parameters `{ deviceId }` (fastify has already URL-decoded them). */
export const DeviceIdParams = Type.Object({ deviceId: DeviceId });
/**
 * Units of a device's telemetry fields: field path (a top-level body field, or `a.b` for a nested one) → unit shown on
 * its chart axis (`V`, `A`, `kW`, `°C`). At most 64 fields; names up to 128 characters, units 1–16.
 */
export const Units = Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ minLength: 1, maxLength: 16 }), {
    maxProperties: 64,
});
/** `POST /api/register-device` body; `units` optional (kept with the registration, replaced on re-registration). */
export const RegisterBody = Type.Object({ deviceId: DeviceId, units: Type.Optional(Units) });
/** Answer of register / unregister: `{ deviceId, status, message }`. */
export const RegistrationReply = Type.Object({
    deviceId: Type.String(),
    status: Type.String({ description: 'registering | registered | inactive | unregistered' }),
    message: Type.String(),
});
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
/** `GET /api/devices` answer. */
export const DevicesReply = Type.Object({
    devices: Type.Array(DeviceSummary),
    defaultDevice: Type.Union([Type.String(), Type.Null()]),
    /** Registered device ID patterns (globs with `*` and `?`). */
    patterns: Type.Optional(Type.Array(Type.Object({ deviceIdPattern: Type.String(), registeredAt: Type.String() }))),
});
