import type { CloseCodeValue } from '../../public/protocol.js';

/** What the client does after the socket closed: reconnect, reconnect after a longer wait, or stop. */
export type CloseAction = 'retry' | 'retryLater' | 'stop';

/** Why the client stopped on its own. */
export type StopReason = 'unauthorized' | 'origin' | 'refused';

/** The gateway's own close codes (public/protocol.js); `satisfies` fails the build when one is missing here. */
const GATEWAY_CODES = {
  4401: 'stop', // wrong key: the same key cannot succeed
  4403: 'stop', // origin not allowed (CORS_ORIGINS)
  4408: 'retry', // heartbeat timeout
  4429: 'retry', // too slow: resume from the last position
  4503: 'retry', // shutting down or restarting
  1013: 'retryLater', // too many connections
} as const satisfies Record<CloseCodeValue, CloseAction>;

/** RFC 6455 §7.4.1 codes after which sending the same again cannot succeed. */
const FINAL_STANDARD = new Set([1002, 1003, 1007, 1008, 1009, 1010, 1015]);

/** The action for a close code (1000, 1001, 1006, 1011, 1012 and unknown codes: retry). */
export function closeAction(code: number): CloseAction {
  if (Object.hasOwn(GATEWAY_CODES, code)) return GATEWAY_CODES[code as CloseCodeValue];
  return FINAL_STANDARD.has(code) ? 'stop' : 'retry';
}

/** Why a `stop` code stopped the client. */
export function stopReason(code: number): StopReason {
  if (code === 4401) return 'unauthorized';
  return code === 4403 ? 'origin' : 'refused';
}
