// Human words for the gateway connection's and the hub's states, one place for every text the header shows.

const CLOSE_WORDS = {
  1006: 'the connection to the gateway was lost',
  4408: 'the gateway stopped hearing from this page',
  4429: 'this page fell behind the live stream',
  4503: 'the gateway is restarting or shutting down',
  1013: 'the gateway has too many connections',
};

/**
 * The gateway connection as `{ label, detail }`: `state` is `connecting`, `connected`, `reconnecting` (with `code`
 * and `retryInS`) or `offline` (with `why`: `unauthorized`, `origin` or `stopped`).
 */
export function gatewayWords({ state, code, retryInS, why }) {
  if (state === 'connected') return { label: 'Gateway: connected', detail: '' };
  if (state === 'connecting') return { label: 'Gateway: connecting…', detail: '' };
  if (state === 'reconnecting') {
    const cause = CLOSE_WORDS[code] ?? `the connection closed (code ${code})`;
    const when = retryInS > 0 ? `retrying in ${retryInS} s` : 'retrying now';
    return { label: 'Gateway: offline', detail: `${cause[0].toUpperCase()}${cause.slice(1)}; ${when}.` };
  }
  if (why === 'origin') return { label: 'Gateway: refused', detail: 'This page’s address is not allowed (CORS_ORIGINS).' };
  if (why === 'unauthorized') return { label: 'Gateway: key refused', detail: '' };
  return { label: 'Gateway: not connected', detail: '' };
}

const REASON_WORDS = [
  ['hub_unreachable', 'The gateway cannot reach the hub: check the namespace, the network or the proxy.'],
  ['partition_stalled', 'A partition has events waiting but delivers nothing.'],
  ['unauthorized', 'The hub refused the connection string’s credentials.'],
  ['store_error', 'The gateway’s store did not take a batch; it reads it again.'],
  ['checkpoint_store_error', 'The checkpoint store (Blob storage) did not answer; reading resumes when it does.'],
  ['hub_error', 'The hub reported an error.'],
  ['waiting for', 'Opening the hub’s partitions.'],
];

/**
 * The hub as `{ label, detail }` from its consumer state (`connected`, `connecting`, `error`, `closed`, or
 * `unknown` before the gateway said) and reason (a `status` message's or `/readyz`'s).
 */
export function hubWords(state, reason) {
  if (state === 'connected') return { label: 'Hub: connected', detail: '' };
  if (state === 'closed') return { label: 'Hub: idle', detail: 'No device is watched, so the gateway is not reading the hub.' };
  if (state === 'unknown') return { label: 'Hub: checking…', detail: '' };
  const words = REASON_WORDS.find(([code]) => reason?.includes(code))?.[1];
  const label = state === 'connecting' ? 'Hub: connecting…' : 'Hub: not connected';
  return { label, detail: words ?? (reason ? `The gateway reports: ${reason}.` : '') };
}
