import type { TelemetryMessage } from './telemetry-message.js';

/** Longest body text in a log line, in characters. */
const MAX_LOG_BODY = 300;

/**
 * A message body as one readable log-line fragment: JSON for `json` bodies, the text for `text`, `base64:<data>`
 * for binary; cut to 300 characters.
 */
export function describeBody(message: Pick<TelemetryMessage, 'body' | 'bodyEncoding'>): string {
  const text =
    message.bodyEncoding === 'json' ? JSON.stringify(message.body) :
    message.bodyEncoding === 'base64' ? `base64:${String(message.body)}` : String(message.body);
  return text.length > MAX_LOG_BODY ? `${text.slice(0, MAX_LOG_BODY)}…` : text;
}
