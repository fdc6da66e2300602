/** WebSocket close codes of `GET /api/ws` (see protocol.js). */
export declare const CloseCode: {
  /** Wrong API key, or no `auth` message within `WS_AUTH_TIMEOUT` seconds. Do not retry with the same key. */
  readonly unauthorized: 4401;
  /** The browser's `Origin` is not in `CORS_ORIGINS` (or not the gateway's own origin when that list is empty). */
  readonly originNotAllowed: 4403;
  /** The peer missed two protocol pings in a row (`WS_HEARTBEAT_INTERVAL` seconds apart). */
  readonly heartbeatTimeout: 4408;
  /** The client stopped reading: its send queue stayed full, or filled with control replies past `WS_MAX_QUEUE`. */
  readonly tooSlow: 4429;
  /** The gateway is shutting down: reconnect (with resume) after a short delay. */
  readonly shuttingDown: 4503;
  /** `WS_MAX_CONNECTIONS` or `WS_MAX_PENDING_AUTH` reached: try again later. */
  readonly tryAgainLater: 1013;
};

/** One of the {@link CloseCode} values. */
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** The close reason sent with each code. */
export declare const closeReason: Readonly<Record<CloseCodeValue, string>>;

/** True for close codes after which a client must not reconnect with the same key or origin (4401, 4403). */
export declare function isFinalClose(code: number): boolean;

/** A message's position `<partitionId>:<sequenceNumber>`. */
export declare function positionOf(message: { partitionId: string; sequenceNumber: number }): string;

/** Parses a position; `undefined` when the text is not one (never throws). */
export declare function parsePosition(text: string): { partitionId: string; sequenceNumber: number } | undefined;
