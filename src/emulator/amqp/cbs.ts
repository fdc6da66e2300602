import type { Message } from 'rhea';
import { types } from './rhea.js';

/**
 * Answers a `$cbs` put-token request (AMQP Claims-Based Security draft, as `@azure/core-amqp` `cbs.js` uses it):
 * 200 for a token, 401 when the SAS token's expiry `se=` (s since the epoch) is in the past — as the service does —
 * or while the reject-auth fault is on. Signatures are not checked: the emulator's key is public.
 * The reply's `correlation_id` is the request's `message_id`; `status-code` is encoded as an AMQP int.
 * @param nowMs current time in ms since the epoch.
 */
export function answerCbs(request: Message, rejectAuth: boolean, nowMs: number): Message {
  const props = request.application_properties ?? {};
  let status = 200;
  let description = 'OK';
  if (props.operation !== 'put-token') {
    status = 400;
    description = `Unsupported $cbs operation '${String(props.operation)}'.`;
  } else if (rejectAuth) {
    status = 401;
    description = 'Unauthorized: the emulator is rejecting tokens (reject-auth fault).';
  } else {
    const expiry = sasExpiry(request.body);
    if (expiry !== undefined && expiry * 1000 <= nowMs) {
      status = 401;
      description = `Unauthorized: the token for '${String(props.name)}' expired at ${new Date(expiry * 1000).toISOString()}.`;
    }
  }
  return {
    correlation_id: request.message_id,
    application_properties: { 'status-code': types.wrap_int(status), 'status-description': description },
    body: undefined,
  };
}

/** The `se=` expiry (s since the epoch) of a `SharedAccessSignature ...` token, or `undefined` for other tokens. */
function sasExpiry(body: unknown): number | undefined {
  if (typeof body !== 'string' || !body.startsWith('SharedAccessSignature ')) return undefined;
  const se = new URLSearchParams(body.slice('SharedAccessSignature '.length)).get('se');
  const value = se === null ? NaN : Number(se);
  return Number.isFinite(value) ? value : undefined;
}
