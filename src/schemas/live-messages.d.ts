import { type Static } from '@sinclair/typebox';
/** A stored message as live clients see it (the fields of a `telemetry` message without `type`). */
export declare const LiveTelemetrySchema: import("@sinclair/typebox").TObject<{
    deviceId: import("@sinclair/typebox").TString;
    /** `<partitionId>:<sequenceNumber>`: the resume point. */
    position: import("@sinclair/typebox").TString;
    /** Enqueued time, ISO 8601 UTC with milliseconds. */
    enqueuedTime: import("@sinclair/typebox").TString;
    body: import("@sinclair/typebox").TUnknown;
    bodyEncoding: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"json">, import("@sinclair/typebox").TLiteral<"text">, import("@sinclair/typebox").TLiteral<"base64">]>;
    properties: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber, import("@sinclair/typebox").TBoolean, import("@sinclair/typebox").TNull]>>;
    /** The decoding steps applied to the body bytes, in order (e.g. `["gzip", "cbor"]`); absent when none beyond text. */
    bodyFormat: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TString>>;
}>;
/** A device's connection state as the hub last reported it; `null` when the hub never said. */
export declare const ConnectionStateSchema: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"connected">, import("@sinclair/typebox").TLiteral<"disconnected">, import("@sinclair/typebox").TNull]>;
/** The kinds of IoT Hub non-telemetry events the gateway keeps (the routing sources of the built-in endpoint). */
export declare const HubEventTypeSchema: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"deviceConnectionStateEvents">, import("@sinclair/typebox").TLiteral<"twinChangeEvents">, import("@sinclair/typebox").TLiteral<"deviceLifecycleEvents">]>;
/**
 * One IoT Hub non-telemetry event of a device (connection state, twin change, lifecycle), kept apart from telemetry.
 * `opType` e.g. `deviceConnected`, `updateTwin`, `createDeviceIdentity`; `properties` its application properties
 * (`opType`, `hubName`, `deviceId`, `iothub-message-schema`, `operationTimestamp`, …); `body` the decoded event body.
 */
export declare const HubEventSchema: import("@sinclair/typebox").TObject<{
    deviceId: import("@sinclair/typebox").TString;
    moduleId: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
    eventType: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"deviceConnectionStateEvents">, import("@sinclair/typebox").TLiteral<"twinChangeEvents">, import("@sinclair/typebox").TLiteral<"deviceLifecycleEvents">]>;
    opType: import("@sinclair/typebox").TString;
    position: import("@sinclair/typebox").TString;
    enqueuedTime: import("@sinclair/typebox").TString;
    properties: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber, import("@sinclair/typebox").TBoolean, import("@sinclair/typebox").TNull]>>;
    body: import("@sinclair/typebox").TUnknown;
}>;
/** Aggregate functions over numeric fields. */
export declare const AggregateFnSchema: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"min">, import("@sinclair/typebox").TLiteral<"max">, import("@sinclair/typebox").TLiteral<"avg">, import("@sinclair/typebox").TLiteral<"sum">, import("@sinclair/typebox").TLiteral<"count">, import("@sinclair/typebox").TLiteral<"first">, import("@sinclair/typebox").TLiteral<"last">]>;
/** One time bucket of an aggregate: `[start, end)` ISO 8601 UTC, the messages in it, per field and function a number. */
export declare const AggregateBucketSchema: import("@sinclair/typebox").TObject<{
    start: import("@sinclair/typebox").TString;
    end: import("@sinclair/typebox").TString;
    count: import("@sinclair/typebox").TInteger;
    values: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber>>;
}>;
/** Error codes of `error` messages; the socket stays open after each. */
export declare const LiveErrorCodeSchema: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"bad_request">, import("@sinclair/typebox").TLiteral<"not_found">, import("@sinclair/typebox").TLiteral<"limit_exceeded">]>;
/** Every server → client message of `GET /api/ws`, one schema each (the source of the types below). */
export declare const ServerMessageSchemas: {
    telemetry: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"telemetry">;
        deviceId: import("@sinclair/typebox").TString;
        properties: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber, import("@sinclair/typebox").TBoolean, import("@sinclair/typebox").TNull]>>;
        position: import("@sinclair/typebox").TString;
        enqueuedTime: import("@sinclair/typebox").TString;
        body: import("@sinclair/typebox").TUnknown;
        bodyEncoding: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"json">, import("@sinclair/typebox").TLiteral<"text">, import("@sinclair/typebox").TLiteral<"base64">]>;
        bodyFormat: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TString>>;
    }>;
    subscribed: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"subscribed">;
        deviceId: import("@sinclair/typebox").TString;
        status: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"registering">, import("@sinclair/typebox").TLiteral<"registered">, import("@sinclair/typebox").TLiteral<"inactive">, import("@sinclair/typebox").TLiteral<"unregistered">]>;
        isConnected: import("@sinclair/typebox").TBoolean;
        latest: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TObject<{
            deviceId: import("@sinclair/typebox").TString;
            /** `<partitionId>:<sequenceNumber>`: the resume point. */
            position: import("@sinclair/typebox").TString;
            /** Enqueued time, ISO 8601 UTC with milliseconds. */
            enqueuedTime: import("@sinclair/typebox").TString;
            body: import("@sinclair/typebox").TUnknown;
            bodyEncoding: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"json">, import("@sinclair/typebox").TLiteral<"text">, import("@sinclair/typebox").TLiteral<"base64">]>;
            properties: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber, import("@sinclair/typebox").TBoolean, import("@sinclair/typebox").TNull]>>;
            /** The decoding steps applied to the body bytes, in order (e.g. `["gzip", "cbor"]`); absent when none beyond text. */
            bodyFormat: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TString>>;
        }>, import("@sinclair/typebox").TNull]>;
    }>;
    /**
     * A device's status change, or a hub-wide one (no `deviceId`; `status` is then the hub consumer's state): the
     * current hub-wide one right after `auth`, then every change. `detail` (hub-wide only): the full description.
     */
    status: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"status">;
        deviceId: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TString>;
        status: import("@sinclair/typebox").TString;
        isConnected: import("@sinclair/typebox").TBoolean;
        reason: import("@sinclair/typebox").TString;
        detail: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TString>;
        /** Device status only: the hub's connection state of the device, and when it last changed (ISO 8601 UTC). */
        connectionState: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"connected">, import("@sinclair/typebox").TLiteral<"disconnected">, import("@sinclair/typebox").TNull]>>;
        connectionStateUpdatedAt: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>>;
    }>;
    reset: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"reset">;
        deviceId: import("@sinclair/typebox").TString;
    }>;
    /** `deviceIds`: every refused device of one request; `deviceId` too when exactly one was refused. */
    error: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"error">;
        error: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"bad_request">, import("@sinclair/typebox").TLiteral<"not_found">, import("@sinclair/typebox").TLiteral<"limit_exceeded">]>;
        message: import("@sinclair/typebox").TString;
        deviceId: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TString>;
        deviceIds: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TString>>;
    }>;
    dropped: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"dropped">;
        deviceId: import("@sinclair/typebox").TString;
        count: import("@sinclair/typebox").TInteger;
    }>;
    pong: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"pong">;
    }>;
    /** The registered devices, as `GET /api/devices` answers: after `auth`, then on every change (at most once a second). */
    devices: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"devices">;
        devices: import("@sinclair/typebox").TArray<import("@sinclair/typebox").TObject<{
            deviceId: import("@sinclair/typebox").TString;
            registeredAt: import("@sinclair/typebox").TString;
            lastSeen: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
            status: import("@sinclair/typebox").TString;
            isConnected: import("@sinclair/typebox").TBoolean;
            units: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TString>;
            connectionState: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"connected">, import("@sinclair/typebox").TLiteral<"disconnected">, import("@sinclair/typebox").TNull]>>;
            connectionStateUpdatedAt: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>>;
        }>>;
        defaultDevice: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
        patterns: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TObject<{
            deviceIdPattern: import("@sinclair/typebox").TString;
            registeredAt: import("@sinclair/typebox").TString;
        }>>>;
    }>;
    /** A non-telemetry hub event of a device subscribed with `hubEvents: true`. */
    hubEvent: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"hubEvent">;
        deviceId: import("@sinclair/typebox").TString;
        properties: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber, import("@sinclair/typebox").TBoolean, import("@sinclair/typebox").TNull]>>;
        position: import("@sinclair/typebox").TString;
        enqueuedTime: import("@sinclair/typebox").TString;
        body: import("@sinclair/typebox").TUnknown;
        moduleId: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
        eventType: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"deviceConnectionStateEvents">, import("@sinclair/typebox").TLiteral<"twinChangeEvents">, import("@sinclair/typebox").TLiteral<"deviceLifecycleEvents">]>;
        opType: import("@sinclair/typebox").TString;
    }>;
    /** A closed bucket of a live aggregate (`subscribe` with `aggregate`); `position` is its last message's. */
    aggregate: import("@sinclair/typebox").TObject<{
        type: import("@sinclair/typebox").TLiteral<"aggregate">;
        deviceId: import("@sinclair/typebox").TString;
        position: import("@sinclair/typebox").TString;
        interval: import("@sinclair/typebox").TString;
        count: import("@sinclair/typebox").TInteger;
        start: import("@sinclair/typebox").TString;
        end: import("@sinclair/typebox").TString;
        values: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber>>;
    }>;
};
/** The union of every server → client message. */
export declare const ServerMessageSchema: import("@sinclair/typebox").TUnion<(import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"telemetry">;
    deviceId: import("@sinclair/typebox").TString;
    properties: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber, import("@sinclair/typebox").TBoolean, import("@sinclair/typebox").TNull]>>;
    position: import("@sinclair/typebox").TString;
    enqueuedTime: import("@sinclair/typebox").TString;
    body: import("@sinclair/typebox").TUnknown;
    bodyEncoding: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"json">, import("@sinclair/typebox").TLiteral<"text">, import("@sinclair/typebox").TLiteral<"base64">]>;
    bodyFormat: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TString>>;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"subscribed">;
    deviceId: import("@sinclair/typebox").TString;
    status: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"registering">, import("@sinclair/typebox").TLiteral<"registered">, import("@sinclair/typebox").TLiteral<"inactive">, import("@sinclair/typebox").TLiteral<"unregistered">]>;
    isConnected: import("@sinclair/typebox").TBoolean;
    latest: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TObject<{
        deviceId: import("@sinclair/typebox").TString;
        /** `<partitionId>:<sequenceNumber>`: the resume point. */
        position: import("@sinclair/typebox").TString;
        /** Enqueued time, ISO 8601 UTC with milliseconds. */
        enqueuedTime: import("@sinclair/typebox").TString;
        body: import("@sinclair/typebox").TUnknown;
        bodyEncoding: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"json">, import("@sinclair/typebox").TLiteral<"text">, import("@sinclair/typebox").TLiteral<"base64">]>;
        properties: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber, import("@sinclair/typebox").TBoolean, import("@sinclair/typebox").TNull]>>;
        /** The decoding steps applied to the body bytes, in order (e.g. `["gzip", "cbor"]`); absent when none beyond text. */
        bodyFormat: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TString>>;
    }>, import("@sinclair/typebox").TNull]>;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"status">;
    deviceId: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TString>;
    status: import("@sinclair/typebox").TString;
    isConnected: import("@sinclair/typebox").TBoolean;
    reason: import("@sinclair/typebox").TString;
    detail: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TString>;
    /** Device status only: the hub's connection state of the device, and when it last changed (ISO 8601 UTC). */
    connectionState: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"connected">, import("@sinclair/typebox").TLiteral<"disconnected">, import("@sinclair/typebox").TNull]>>;
    connectionStateUpdatedAt: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>>;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"reset">;
    deviceId: import("@sinclair/typebox").TString;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"error">;
    error: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"bad_request">, import("@sinclair/typebox").TLiteral<"not_found">, import("@sinclair/typebox").TLiteral<"limit_exceeded">]>;
    message: import("@sinclair/typebox").TString;
    deviceId: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TString>;
    deviceIds: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TString>>;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"dropped">;
    deviceId: import("@sinclair/typebox").TString;
    count: import("@sinclair/typebox").TInteger;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"pong">;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"devices">;
    devices: import("@sinclair/typebox").TArray<import("@sinclair/typebox").TObject<{
        deviceId: import("@sinclair/typebox").TString;
        registeredAt: import("@sinclair/typebox").TString;
        lastSeen: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
        status: import("@sinclair/typebox").TString;
        isConnected: import("@sinclair/typebox").TBoolean;
        units: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TString>;
        connectionState: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"connected">, import("@sinclair/typebox").TLiteral<"disconnected">, import("@sinclair/typebox").TNull]>>;
        connectionStateUpdatedAt: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>>;
    }>>;
    defaultDevice: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
    patterns: import("@sinclair/typebox").TOptional<import("@sinclair/typebox").TArray<import("@sinclair/typebox").TObject<{
        deviceIdPattern: import("@sinclair/typebox").TString;
        registeredAt: import("@sinclair/typebox").TString;
    }>>>;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"hubEvent">;
    deviceId: import("@sinclair/typebox").TString;
    properties: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber, import("@sinclair/typebox").TBoolean, import("@sinclair/typebox").TNull]>>;
    position: import("@sinclair/typebox").TString;
    enqueuedTime: import("@sinclair/typebox").TString;
    body: import("@sinclair/typebox").TUnknown;
    moduleId: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TString, import("@sinclair/typebox").TNull]>;
    eventType: import("@sinclair/typebox").TUnion<[import("@sinclair/typebox").TLiteral<"deviceConnectionStateEvents">, import("@sinclair/typebox").TLiteral<"twinChangeEvents">, import("@sinclair/typebox").TLiteral<"deviceLifecycleEvents">]>;
    opType: import("@sinclair/typebox").TString;
}> | import("@sinclair/typebox").TObject<{
    type: import("@sinclair/typebox").TLiteral<"aggregate">;
    deviceId: import("@sinclair/typebox").TString;
    position: import("@sinclair/typebox").TString;
    interval: import("@sinclair/typebox").TString;
    count: import("@sinclair/typebox").TInteger;
    start: import("@sinclair/typebox").TString;
    end: import("@sinclair/typebox").TString;
    values: import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TRecord<import("@sinclair/typebox").TString, import("@sinclair/typebox").TNumber>>;
}>)[]>;
export type LiveTelemetry = Static<typeof LiveTelemetrySchema>;
export type LiveErrorCode = Static<typeof LiveErrorCodeSchema>;
export type ConnectionState = Static<typeof ConnectionStateSchema>;
export type HubEventType = Static<typeof HubEventTypeSchema>;
export type HubEvent = Static<typeof HubEventSchema>;
export type AggregateFn = Static<typeof AggregateFnSchema>;
export type AggregateBucket = Static<typeof AggregateBucketSchema>;
export type ServerMessage = Static<typeof ServerMessageSchema>;
/** One server message by its `type`. */
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, {
    type: T;
}>;
