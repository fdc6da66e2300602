// The live protocol's shared constants, one source for the gateway (src/live/close-codes.ts and
// src/telemetry/telemetry-message.ts re-export them), the dashboard and any client. Dependency-free ES module;
// types in protocol.d.ts.

/**
 * WebSocket close codes of `GET /api/ws`. 4000–4999 are reserved for applications (RFC 6455 §7.4.2); the last three
 * digits mirror the HTTP status with the same meaning. 1013 "Try Again Later" is IANA-registered (RFC 6455 §7.4).
 */
export const CloseCode = Object.freeze({
  unauthorized: 4401,
  originNotAllowed: 4403,
  heartbeatTimeout: 4408,
  tooSlow: 4429,
  shuttingDown: 4503,
  tryAgainLater: 1013,
});

/** The close reason sent with each code (RFC 6455 limits a reason to 123 bytes). */
export const closeReason = Object.freeze({
  4401: 'unauthorized',
  4403: 'origin not allowed',
  4408: 'heartbeat timeout',
  4429: 'too slow: send queue full',
  4503: 'server shutting down, reconnect',
  1013: 'too many connections',
});

/** Close codes after which reconnecting with the same key or origin cannot succeed: a client stops. */
export function isFinalClose(code) {
  return code === CloseCode.unauthorized || code === CloseCode.originNotAllowed;
}

/** A message's position `<partitionId>:<sequenceNumber>`: unique per hub, the SSE `id` and the WebSocket resume point. */
export function positionOf(message) {
  return `${message.partitionId}:${message.sequenceNumber}`;
}

/** Parses a position; `undefined` when the text is not one (never throws). */
export function parsePosition(text) {
  const match = /^([^:]+):(\d{1,15})$/.exec(text);
  if (!match) return undefined;
  return { partitionId: match[1], sequenceNumber: Number(match[2]) };
}
