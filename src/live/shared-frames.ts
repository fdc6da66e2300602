import { selectedBody, MAX_SELECTIONS_PER_MESSAGE, type FieldSelection } from '../telemetry/field-selection.js';
import { MessageCache } from '../telemetry/message-cache.js';
import { positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';
import { telemetryMessage } from './server-messages.js';
import { formatSseEvent } from './sse-format.js';

// Key "" is the whole message; a selection's key is its canonical spelling (never empty).
const wsFrames = new MessageCache<string>(MAX_SELECTIONS_PER_MESSAGE + 1);
const sseEvents = new MessageCache<string>(MAX_SELECTIONS_PER_MESSAGE + 1);

/**
 * The WebSocket `telemetry` frame text of a stored message, serialized once per message and field selection however
 * many connections receive it (`body` becomes `{ "<path>": value }` with a selection, see `selectedBody`).
 */
export function telemetryFrame(message: TelemetryMessage, selection?: FieldSelection): string {
  return wsFrames.get(message, selection?.key ?? '', () => {
    const frame = telemetryMessage(message);
    return JSON.stringify(selection ? { ...frame, body: selectedBody(message, selection) } : frame);
  });
}

/**
 * The SSE `telemetry` event text of a stored message (`id: <position>`, full message as `data`, its body reduced to
 * the selection when given), serialized once per message and selection.
 */
export function telemetrySseEvent(message: TelemetryMessage, selection?: FieldSelection): string {
  return sseEvents.get(message, selection?.key ?? '', () => {
    const data = selection ? { ...message, body: selectedBody(message, selection) } : message;
    return formatSseEvent('telemetry', data, positionOf(message));
  });
}
