/** The kinds of hub failure `/readyz` names (its `reason`), never carrying an address or an SDK message. */
export type HubErrorKind = 'unauthorized' | 'hub_unreachable' | 'hub_error' | 'checkpoint_store_error';

/** Network failures, connection losses and timeouts: the hub cannot be reached or does not answer. */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|ServiceUnavailable|ServerBusy|Timeout|AbortError|ConnectionForced|connection:forced|ConnectionLost|disconnected/i;

/**
 * Turns an error from the Event Hubs SDK into a one-line reason for logs and status events sent to authenticated
 * clients, says whether it is an authorization failure (a `$cbs` put-token answered 401, `UnauthorizedError` in
 * @azure/core-amqp; e.g. an expired `SharedAccessSignature` or a wrong key), and names its kind for `/readyz`. The
 * reason may name the hub's address; it never includes the connection string's key or signature. A failed call of
 * the Blob checkpoint store (`CheckpointStoreError`, message already redacted) is `checkpoint_store_error`.
 */
export function describeHubError(error: unknown): { reason: string; unauthorized: boolean; kind: HubErrorKind } {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error';
  let message = typeof e?.message === 'string' ? e.message : String(error);
  if (Array.isArray(e?.errors) && e.errors.length > 0) {
    const first = e.errors[0] as { message?: unknown };
    if (typeof first?.message === 'string') message = `${message} ${first.message}`.trim();
  }
  message = message.replace(/(SharedAccess(?:Key|Signature)=)[^;\s]+/gi, '$1***').replace(/\s+/g, ' ').slice(0, 300);
  if (e?.name === 'CheckpointStoreError') return { reason: message, unauthorized: false, kind: 'checkpoint_store_error' };
  const unauthorized = /unauthori[sz]ed|\b401\b|expired|InvalidSignature/i.test(`${code} ${message}`);
  if (unauthorized) {
    return {
      reason: `unauthorized: the hub rejected the connection string's credentials (expired SharedAccessSignature or wrong key) (${code}: ${message})`,
      unauthorized,
      kind: 'unauthorized',
    };
  }
  return { reason: `${code}: ${message}`, unauthorized, kind: UNREACHABLE.test(`${code} ${message}`) ? 'hub_unreachable' : 'hub_error' };
}
