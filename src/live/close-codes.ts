/**
 * WebSocket close codes of `GET /api/ws`, the one table every place that closes a live socket uses.
 *
 * Codes 4000–4999 are reserved for applications by RFC 6455 §7.4.2; the last three digits mirror the HTTP status with
 * the same meaning, so a client can map them without a lookup. 1013 ("Try Again Later") is the IANA-registered code
 * for a server that is temporarily overloaded (RFC 6455 §7.4 registry).
 */
export const CloseCode = {
  /** Wrong API key, or no `auth` message within `WS_AUTH_TIMEOUT` seconds. Do not retry with the same key. */
  unauthorized: 4401,
  /** The browser's `Origin` is not in `CORS_ORIGINS` (or not the gateway's own origin when that list is empty). */
  originNotAllowed: 4403,
  /** The peer missed two protocol pings in a row (`WS_HEARTBEAT_INTERVAL` seconds apart). */
  heartbeatTimeout: 4408,
  /**
   * The client stopped reading: its send queue stayed full for `WS_SLOW_CLIENT_TIMEOUT` seconds, or filled with
   * control replies (answers to its own requests) past `WS_MAX_QUEUE`.
   */
  tooSlow: 4429,
  /** The gateway is shutting down: reconnect (with resume) after a short delay. */
  shuttingDown: 4503,
  /** `WS_MAX_CONNECTIONS` (authenticated) or `WS_MAX_PENDING_AUTH` (waiting for `auth`) reached: try again later. */
  tryAgainLater: 1013,
} as const;

/** One of the {@link CloseCode} values. */
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** The close reason sent with each code (a short English phrase; RFC 6455 limits a reason to 123 bytes). */
export const closeReason: Record<CloseCodeValue, string> = {
  [CloseCode.unauthorized]: 'unauthorized',
  [CloseCode.originNotAllowed]: 'origin not allowed',
  [CloseCode.heartbeatTimeout]: 'heartbeat timeout',
  [CloseCode.tooSlow]: 'too slow: send queue full',
  [CloseCode.shuttingDown]: 'server shutting down, reconnect',
  [CloseCode.tryAgainLater]: 'too many connections',
};
