import type { DeviceState, StatusEvent } from '../devices/device-state.js';
import type { LiveErrorCode, LiveTelemetry, ServerMessageOf } from '../schemas/live-messages.js';
import { positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';

export type { LiveErrorCode, LiveTelemetry } from '../schemas/live-messages.js';

/** The {@link LiveTelemetry} view of a stored message (`bodyFormat` only when the message has one). */
export function liveTelemetry(message: TelemetryMessage): LiveTelemetry {
  const view: LiveTelemetry = {
    deviceId: message.deviceId,
    position: positionOf(message),
    enqueuedTime: message.enqueuedTime,
    body: message.body,
    bodyEncoding: message.bodyEncoding,
    properties: message.properties,
    ...(message.moduleId === null ? {} : { moduleId: message.moduleId }),
  };
  if (message.bodyFormat) view.bodyFormat = message.bodyFormat;
  return view;
}

/** Server → client `telemetry`. */
export function telemetryMessage(message: TelemetryMessage): ServerMessageOf<'telemetry'> {
  return { type: 'telemetry', ...liveTelemetry(message) };
}

/** Server → client `subscribed`: the device's state and its latest message (`null` when none is stored). */
export function subscribedMessage(state: DeviceState, latest: TelemetryMessage | undefined): ServerMessageOf<'subscribed'> {
  return {
    type: 'subscribed',
    deviceId: state.deviceId,
    status: state.status,
    isConnected: state.isConnected,
    latest: latest ? liveTelemetry(latest) : null,
  };
}

/** Server → client `status` (no `deviceId` for a hub-wide change). */
export function statusMessage(event: StatusEvent): ServerMessageOf<'status'> {
  return { type: 'status', ...event };
}

/** Server → client `reset`: the resume position was not in the device's history; the whole history follows. */
export function resetMessage(deviceId: string): ServerMessageOf<'reset'> {
  return { type: 'reset', deviceId };
}

/** Server → client `error` about the message as a whole. */
export function errorMessage(error: LiveErrorCode, message: string): ServerMessageOf<'error'> {
  return { type: 'error', error, message };
}

/**
 * Server → client `error` refusing some devices of one request: `deviceIds` lists every refused ID, in request order;
 * `deviceId` is kept when exactly one was refused.
 */
export function refusedMessage(error: LiveErrorCode, message: string, deviceIds: readonly string[]): ServerMessageOf<'error'> {
  const base = { type: 'error' as const, error, message, deviceIds: [...deviceIds] };
  return deviceIds.length === 1 ? { ...base, deviceId: deviceIds[0] } : base;
}

/** Server → client `dropped`: `count` telemetry messages of the device were dropped by backpressure. */
export function droppedMessage(deviceId: string, count: number): ServerMessageOf<'dropped'> {
  return { type: 'dropped', deviceId, count };
}

/** Server → client `pong`, the answer to `ping`. */
export const PONG: ServerMessageOf<'pong'> = { type: 'pong' };
