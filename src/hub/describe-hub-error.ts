/**
 * Turns an error from the Event Hubs SDK into a one-line reason for logs, `/readyz` and status events, and says
 * whether it is an authorization failure (a `$cbs` put-token answered 401, `UnauthorizedError` in @azure/core-amqp;
 * e.g. an expired `SharedAccessSignature` or a wrong key). Never includes the connection string.
 */
export function describeHubError(error: unknown): { reason: string; unauthorized: boolean } {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error';
  let message = typeof e?.message === 'string' ? e.message : String(error);
  if (Array.isArray(e?.errors) && e.errors.length > 0) {
    const first = e.errors[0] as { message?: unknown };
    if (typeof first?.message === 'string') message = `${message} ${first.message}`.trim();
  }
  message = message.replace(/(SharedAccess(?:Key|Signature)=)[^;\s]+/gi, '$1***').replace(/\s+/g, ' ').slice(0, 300);
  const unauthorized = /unauthori[sz]ed|\b401\b|expired|InvalidSignature/i.test(`${code} ${message}`);
  if (unauthorized) {
    return {
      reason: `unauthorized: the hub rejected the connection string's credentials (expired SharedAccessSignature or wrong key) (${code}: ${message})`,
      unauthorized,
    };
  }
  return { reason: `${code}: ${message}`, unauthorized };
}
