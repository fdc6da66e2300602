import { rootCertificates } from 'node:tls';
import WebSocket from 'ws';
import type { GatewayConfig } from '../config/gateway-config.js';
import { BoundedProxyAgent } from './bounded-proxy-agent.js';
import type { HubTransport } from './hub-transport.js';
import { proxyForUrl, redactProxy } from './proxy-for-url.js';

/** Default bound in ms of the proxy's CONNECT answer and of the WebSocket opening handshake after it. */
export const HUB_CONNECT_TIMEOUT_MS = 10_000;

/** What {@link createHubTransport} reads of the config. */
export type HubTransportConfig = Pick<GatewayConfig, 'hubTransport' | 'hubCaPem' | 'httpsProxy' | 'noProxy'>;

/**
 * The hub transport for the config (see {@link HubTransport}). `amqp`: no WebSocket options (the SDK dials AMQPS;
 * trust comes from Node's store and `NODE_EXTRA_CA_CERTS`). `websockets`: the SDK gets a `ws` WebSocket class that,
 * for each URL it dials (`wss://<host>:<port or 443>/$servicebus/websocket`, `ConnectionContextBase` of
 * @azure/core-amqp), adds {@link HubTransport.webSocketFor}'s options: `ca` = Node's bundled roots plus `HUB_CA_FILE`
 * (when set), `handshakeTimeout` = `connectTimeoutMs`, and `agent` = one proxy agent (https-proxy-agent, CONNECT
 * bounded by `connectTimeoutMs`, failures as `ProxyError`) when `HTTPS_PROXY` is set and `NO_PROXY` does not name the
 * host (proxy-from-env's rules). The proxy is chosen per URL because with an IoT Hub connection string the SDK dials
 * a host found by the discovery, not one known at start.
 */
export function createHubTransport(config: HubTransportConfig, connectTimeoutMs = HUB_CONNECT_TIMEOUT_MS): HubTransport {
  const caPem = config.hubCaPem;
  const proxyFor = (url: string): string | null => {
    const proxy = proxyForUrl(url, config.httpsProxy, config.noProxy);
    return proxy ? redactProxy(proxy) : null;
  };
  if (config.hubTransport === 'amqp') return { kind: 'amqp', caPem, proxyFor: () => null };
  let agent: BoundedProxyAgent | null = null;
  const optionsFor = (url: string): Record<string, unknown> => {
    const proxy = proxyForUrl(url, config.httpsProxy, config.noProxy);
    if (proxy) agent ??= new BoundedProxyAgent(proxy, connectTimeoutMs);
    return {
      handshakeTimeout: connectTimeoutMs,
      ...(caPem ? { ca: [...rootCertificates, caPem] } : {}),
      ...(proxy && agent ? { agent } : {}),
    };
  };
  class HubWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[], options?: WebSocket.ClientOptions) {
      super(address, protocols, { ...options, ...optionsFor(String(address)) });
    }
  }
  return {
    kind: 'websockets',
    caPem,
    webSocketOptions: { webSocket: HubWebSocket, webSocketConstructorOptions: {} },
    webSocketFor: (url) => ({ webSocket: WebSocket, options: optionsFor(url) }),
    proxyFor,
  };
}

/**
 * The start line naming the transport, the CA and the proxy (without credentials), and a warning when a setting
 * has no effect: `HTTPS_PROXY` with `amqp` (AMQPS cannot go through an HTTP proxy), `HUB_CA_FILE` with `amqp` (it
 * then serves only the IoT Hub endpoint discovery; the SDK trusts `NODE_EXTRA_CA_CERTS`, read by Node at start).
 * `nodeExtraCaCerts` is the `NODE_EXTRA_CA_CERTS` path this process started with; the connection string is only
 * checked for `UseDevelopmentEmulator=true` (plain AMQP), never logged.
 */
export function hubTransportLines(
  config: HubTransportConfig & { connectionString?: string | null },
  nodeExtraCaCerts = process.env.NODE_EXTRA_CA_CERTS,
): { info: string; warn: string[] } {
  const extra = nodeExtraCaCerts ? `, NODE_EXTRA_CA_CERTS=${nodeExtraCaCerts} trusted` : '';
  const warn: string[] = [];
  if (config.hubTransport === 'amqp') {
    if (config.httpsProxy) warn.push(`HTTPS_PROXY (${redactProxy(config.httpsProxy)}) is not used with HUB_TRANSPORT=amqp, which connects directly (port 5671): set HUB_TRANSPORT=websockets to reach the hub through the proxy on port 443`);
    if (config.hubCaPem) warn.push('HUB_CA_FILE serves only the IoT Hub endpoint discovery with HUB_TRANSPORT=amqp: the AMQP connection trusts Node\'s store and NODE_EXTRA_CA_CERTS (start the gateway with NODE_EXTRA_CA_CERTS=<the same file>), or set HUB_TRANSPORT=websockets');
    const plain = /UseDevelopmentEmulator=true/i.test(config.connectionString ?? '');
    const how = plain ? 'plain AMQP with UseDevelopmentEmulator, port 5672 unless the endpoint names one' : 'AMQP over TLS, port 5671 unless the endpoint names one';
    return { info: `hub transport: amqp (${how})${plain ? '' : extra}`, warn };
  }
  const ca = config.hubCaPem ? ', CA from HUB_CA_FILE trusted' : '';
  const proxy = config.httpsProxy
    ? `, through proxy ${redactProxy(config.httpsProxy)}${/\/\/[^/]*@/.test(config.httpsProxy) ? ' (with credentials)' : ''}${config.noProxy.length ? ` except NO_PROXY=${config.noProxy.join(',')}` : ''}`
    : ', no proxy';
  return { info: `hub transport: websockets (AMQP over WebSocket, wss port 443 unless the endpoint names one)${ca}${extra}${proxy}`, warn };
}
