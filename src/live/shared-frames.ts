import { positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';
import { telemetryMessage } from './server-messages.js';
import { formatSseEvent } from './sse-format.js';

const wsFrames = new WeakMap<TelemetryMessage, string>();
const sseEvents = new WeakMap<TelemetryMessage, string>();

/**
 * The WebSocket `telemetry` frame text of a stored message, serialized once however many connections receive it
 * (the store hands every subscriber the same object; a `WeakMap` forgets it with the message).
 */
export function telemetryFrame(message: TelemetryMessage): string {
  let text = wsFrames.get(message);
  if (text === undefined) {
    text = JSON.stringify(telemetryMessage(message));
    wsFrames.set(message, text);
  }
  return text;
}

/** The SSE `telemetry` event text of a stored message (`id: <position>`, full message as `data`), serialized once. */
export function telemetrySseEvent(message: TelemetryMessage): string {
  let text = sseEvents.get(message);
  if (text === undefined) {
    text = formatSseEvent('telemetry', message, positionOf(message));
    sseEvents.set(message, text);
  }
  return text;
}
