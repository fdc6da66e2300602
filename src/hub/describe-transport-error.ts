/** The `/readyz` reasons of transport failures: the proxy (`HTTPS_PROXY`) or the hub's TLS certificate. */
export type TransportErrorKind = 'proxy_unreachable' | 'proxy_refused' | 'hub_tls_untrusted';

/** Certificate rejections of Node's TLS (codes of `tls.TLSSocket#authorizationError` and `checkServerIdentity`, and their messages). */
const EXPIRED = /CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|certificate has expired|certificate is not yet valid/i;
const MISMATCH = /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i;
const UNTRUSTED = /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED|CERT_REJECTED|self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate/i;

const TRUST =
  'trust its CA: start the gateway with NODE_EXTRA_CA_CERTS=<CA file> (HUB_TRANSPORT=amqp; Node reads it only at start), or set HUB_CA_FILE=<CA file> (HUB_TRANSPORT=websockets and the IoT Hub endpoint discovery); the emulator prints its CA file at start; behind a TLS-inspecting proxy, trust the proxy\'s CA the same way';

/**
 * A one-line reason with what to do, and its kind, for a failure of the transport under the AMQP connection; `null`
 * when `text` (an error's code and message, credentials already redacted) is not one. `ProxyUnreachable` /
 * `ProxyRefused` are `ProxyError` codes (`bounded-proxy-agent.ts`); certificate errors are Node's (`self-signed
 * certificate`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `ERR_TLS_CERT_ALTNAME_INVALID`, ...).
 */
export function describeTransportError(text: string): { reason: string; kind: TransportErrorKind } | null {
  if (/\bProxyUnreachable\b/.test(text)) {
    return {
      kind: 'proxy_unreachable',
      reason: `proxy_unreachable: the proxy in HTTPS_PROXY cannot be reached: check HTTPS_PROXY's host and port and that the proxy is running, or list the hub's host in NO_PROXY to connect without it (${text})`,
    };
  }
  if (/\bProxyRefused\b/.test(text)) {
    const status = /answered CONNECT \S+ with (\d{3})/.exec(text)?.[1];
    const what =
      status === '407'
        ? /credentials sent/.test(text)
          ? 'the proxy refused the user and password in HTTPS_PROXY (407): correct them (percent-encode special characters)'
          : 'the proxy requires authentication (407): put its user and password in HTTPS_PROXY (http://user:password@host:port)'
        : status === '403'
          ? "the proxy does not allow a tunnel to the hub (403): ask its administrator to allow CONNECT to the hub's host and port (443 for Azure)"
          : "the proxy could not open a tunnel to the hub: check the hub's host and port in the connection string and that the proxy can reach them";
    return { kind: 'proxy_refused', reason: `proxy_refused: ${what} (${text})` };
  }
  if (EXPIRED.test(text)) {
    return { kind: 'hub_tls_untrusted', reason: `hub_tls_untrusted: the hub's TLS certificate has expired or is not yet valid: renew it (the emulator makes a new one at each start unless given --tls-cert), and check this machine's clock (${text})` };
  }
  if (MISMATCH.test(text)) {
    return { kind: 'hub_tls_untrusted', reason: `hub_tls_untrusted: the hub's TLS certificate does not name the host dialled: use the host name it was issued for in the connection string (the emulator's: localhost) (${text})` };
  }
  if (UNTRUSTED.test(text)) {
    return { kind: 'hub_tls_untrusted', reason: `hub_tls_untrusted: the hub's TLS certificate is not trusted: ${TRUST} (${text})` };
  }
  return null;
}
