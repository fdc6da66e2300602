import type { HubErrorKind } from '../describe-hub-error.js';
import { describeTransportError } from '../describe-transport-error.js';

/** Why an IoT Hub endpoint discovery failed. */
export type DiscoveryFailure =
  | 'unauthorized'
  | 'service_connect_missing'
  | 'host_not_found'
  | 'tls_untrusted'
  | 'timeout'
  | 'no_redirect'
  | 'unreachable'
  | 'proxy_unreachable'
  | 'proxy_refused';

/** `/readyz` reasons: what happened and what to do, never an address, an SDK message or a secret. */
const PUBLIC_REASONS: Record<DiscoveryFailure, string> = {
  unauthorized:
    "unauthorized: the IoT hub refused the connection string's credentials (401: wrong SharedAccessKey or SharedAccessKeyName, or this machine's clock is off); copy the policy's connection string again",
  service_connect_missing:
    "iothub_policy_not_permitted: the connection string's shared access policy lacks the 'service connect' permission; use the 'service' or 'iothubowner' policy's connection string",
  host_not_found: 'iothub_host_not_found: the HostName of the IoT Hub connection string does not resolve; check it (<hub>.azure-devices.net) and DNS',
  tls_untrusted:
    "tls_untrusted: the IoT hub's TLS certificate is not trusted; trust its CA with NODE_EXTRA_CA_CERTS (AMQP) or HUB_CA_FILE (WebSocket and discovery)",
  timeout:
    'iothub_discovery_timeout: the IoT hub did not answer the endpoint discovery in time; check the network and port 5671, or use HUB_TRANSPORT=websockets (port 443) and HTTPS_PROXY',
  no_redirect:
    "iothub_no_redirect: the host did not redirect to an Event Hub-compatible endpoint; check HostName, or use the hub's Event Hub-compatible connection string (Built-in endpoints)",
  unreachable: 'hub_unreachable',
  proxy_unreachable: 'proxy_unreachable',
  proxy_refused: 'proxy_refused',
};

const KINDS: Record<DiscoveryFailure, HubErrorKind> = {
  unauthorized: 'unauthorized',
  service_connect_missing: 'hub_error',
  host_not_found: 'hub_unreachable',
  tls_untrusted: 'hub_tls_untrusted',
  timeout: 'hub_unreachable',
  no_redirect: 'hub_error',
  unreachable: 'hub_unreachable',
  proxy_unreachable: 'proxy_unreachable',
  proxy_refused: 'proxy_refused',
};

/**
 * The IoT Hub endpoint discovery failed: `failure` says why, `kind` is the hub error kind it counts as,
 * `publicReason` the `/readyz` reason, and the message (for the log) adds the host and what the hub answered. No
 * message ever holds the key, the token or a connection string.
 */
export class EndpointDiscoveryError extends Error {
  override name = 'EndpointDiscoveryError';
  readonly kind: HubErrorKind;
  readonly publicReason: string;

  constructor(readonly failure: DiscoveryFailure, detail: string) {
    super(`IoT Hub endpoint discovery failed: ${PUBLIC_REASONS[failure].replace(/^hub_unreachable$/, 'the IoT hub cannot be reached')} (${detail})`);
    this.kind = KINDS[failure];
    this.publicReason = PUBLIC_REASONS[failure];
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH/;

/**
 * Classifies a connection-level error of the discovery (a socket, TLS, WebSocket or SASL failure): SASL outcome
 * `auth`/`sys` (what IoT Hub answers to a wrong key or expired token over SASL PLAIN) → `unauthorized`;
 * `ENOTFOUND`/`EAI_AGAIN` → `host_not_found`; certificate errors → `tls_untrusted`; a tunnel `HTTPS_PROXY` could
 * not open (`ProxyError`) → `proxy_unreachable` / `proxy_refused`; anything else → `unreachable`.
 * @param where `host:port` (or the WebSocket URL) for the message.
 */
export function connectionFailure(error: unknown, where: string): EndpointDiscoveryError {
  const e = (error ?? {}) as { code?: string; message?: string; condition?: string; description?: string; error?: unknown };
  const inner = (e.error ?? {}) as { code?: string; message?: string };
  const code = e.code ?? inner.code ?? e.condition ?? '';
  const message = (e.message ?? e.description ?? inner.message ?? String(error)).replace(/\s+/g, ' ').slice(0, 200);
  const text = `${code} ${message}`;
  const proxy = describeTransportError(`${code}: ${message}`);
  if (proxy?.kind === 'proxy_unreachable' || proxy?.kind === 'proxy_refused') return new EndpointDiscoveryError(proxy.kind, `${where}: ${proxy.reason.replace(/^\w+: /, '')}`);
  if (/Failed to authenticate/i.test(message)) return new EndpointDiscoveryError('unauthorized', `${where}: SASL PLAIN refused: ${message}`);
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME/.test(text)) return new EndpointDiscoveryError('host_not_found', `${where}: ${text.trim()}`);
  if (TLS_CODES.test(code) || /certificate/i.test(message)) return new EndpointDiscoveryError('tls_untrusted', `${where}: ${text.trim()}`);
  return new EndpointDiscoveryError('unreachable', `${where}: ${text.trim() || 'connection closed'}`);
}
