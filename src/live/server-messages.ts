import type { DeviceState, StatusEvent } from '../devices/device-state.js';
import { positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';

/** A message as live clients see it: the fields of a `telemetry` message, without `type`. */
export interface LiveTelemetry {
  deviceId: string;
  /** `<partitionId>:<sequenceNumber>`: the resume point. */
  position: string;
  /** Enqueued time, ISO 8601 UTC with milliseconds. */
  enqueuedTime: string;
  body: unknown;
  bodyEncoding: TelemetryMessage['bodyEncoding'];
  properties: TelemetryMessage['properties'];
}

/** Error codes of `error` messages; the socket stays open after each. */
export type LiveErrorCode = 'bad_request' | 'not_found' | 'limit_exceeded';

/** The {@link LiveTelemetry} view of a stored message. */
export function liveTelemetry(message: TelemetryMessage): LiveTelemetry {
  return {
    deviceId: message.deviceId,
    position: positionOf(message),
    enqueuedTime: message.enqueuedTime,
    body: message.body,
    bodyEncoding: message.bodyEncoding,
    properties: message.properties,
  };
}

/** Server → client `telemetry`. */
export function telemetryMessage(message: TelemetryMessage): { type: 'telemetry' } & LiveTelemetry {
  return { type: 'telemetry', ...liveTelemetry(message) };
}

/** Server → client `subscribed`: the device's state and its latest message (`null` when none is stored). */
export function subscribedMessage(state: DeviceState, latest: TelemetryMessage | undefined): object {
  return {
    type: 'subscribed',
    deviceId: state.deviceId,
    status: state.status,
    isConnected: state.isConnected,
    latest: latest ? liveTelemetry(latest) : null,
  };
}

/** Server → client `status` (no `deviceId` for a hub-wide change). */
export function statusMessage(event: StatusEvent): object {
  return { type: 'status', ...event };
}

/** Server → client `reset`: the resume position was not in the device's history; the whole history follows. */
export function resetMessage(deviceId: string): object {
  return { type: 'reset', deviceId };
}

/** Server → client `error` about the message as a whole. */
export function errorMessage(error: LiveErrorCode, message: string): object {
  return { type: 'error', error, message };
}

/**
 * Server → client `error` refusing some devices of one request: `deviceIds` lists every refused ID, in request order;
 * `deviceId` is kept when exactly one was refused.
 */
export function refusedMessage(error: LiveErrorCode, message: string, deviceIds: readonly string[]): object {
  const base = { type: 'error', error, message };
  return deviceIds.length === 1 ? { ...base, deviceId: deviceIds[0], deviceIds } : { ...base, deviceIds };
}
