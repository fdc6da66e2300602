import { type Static } from '@sinclair/typebox';
/** Path parameters `{ deviceId }` (fastify has already URL-decoded them). */
export declare const DeviceIdParams: import("@sinclair/typebox").TObject<{
    deviceId: import("@sinclair/typebox").TUnsafe<string>;
}>;
export type DeviceIdParams = Static<typeof DeviceIdParams>;
/**
 * Units of a device's telemetry fields: field path (a top-level body field, or `a.b` for a nested one) → unit shown on
 * its chart axis (`V`, `A`, `kW`, `°C`). At most 64 fields; names up to 128 characters, units 1–16.
 */
export declare const Units: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TString>;
export type Units = Static<typeof Units>;
/** `POST /api/register-device` body; `units` optional (kept with the registration, replaced on re-registration). */
export declare const RegisterBody: import("@sinclair/typebox").TObject<{
    deviceId: import("@sinclair/typebox").TUnsafe<string>;
    units: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TString>>;
}>;
export type RegisterBody = Static<typeof RegisterBody>;
/** Answer of register / unregister: `{ deviceId, status, message }`. */
export declare const RegistrationReply: import("@sinclair/typebox").TObject<{
    deviceId: import("@sinclair/typebox").TString;
    status: import("@sinclair/typebox").TString;
    message: import("@sinclair/typebox").TString;
}>;
/** One device in `GET /api/devices`. Times ISO 8601 UTC. */
export declare const DeviceSummary: import("@sinclair/typebox").TObject<{
    deviceId: import("@sinclair/typebox").TString;
    registeredAt: import("@sinclair/typebox").TString;
    lastSeen: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
    status: import("@sinclair/typebox").TString;
    isConnected: import("@sinclair/typebox").TBoolean;
    /** The registration's units (`{}` when none were given). */
    units: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TString>;
    /** The hub's connection state of the device (`null` when the hub never said) and when it last changed. */
    connectionState: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"connected">, import("@sinclair/typebox").TLiteral<"disconnected">, import("@sinclair/typebox").TNull]>>;
    connectionStateUpdatedAt: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>>;
}>;
export type DeviceSummary = Static<typeof DeviceSummary>;
/** `GET /api/devices` answer. */
export declare const DevicesReply: import("@sinclair/typebox").TObject<{
    devices: import("@sinclair/typebox").TArray<import("@sinclair/typebox").TObject<{
        deviceId: import("@sinclair/typebox").TString;
        registeredAt: import("@sinclair/typebox").TString;
        lastSeen: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
        status: import("@sinclair/typebox").TString;
        isConnected: import("@sinclair/typebox").TBoolean;
        /** The registration's units (`{}` when none were given). */
        units: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TString>;
        /** The hub's connection state of the device (`null` when the hub never said) and when it last changed. */
        connectionState: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"connected">, import("@sinclair/typebox").TLiteral<"disconnected">, import("@sinclair/typebox").TNull]>>;
        connectionStateUpdatedAt: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>>;
    }>>;
    defaultDevice: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
    /** Registered device ID patterns (globs with `*` and `?`). */
    patterns: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TObject<{
        deviceIdPattern: import("@sinclair/typebox").TString;
        registeredAt: import("@sinclair/typebox").TString;
    }>>>;
}>;
export type DevicesReply = Static<typeof DevicesReply>;
