import { rootCertificates } from 'node:tls';
import WebSocket from 'ws';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { HubTransport } from './hub-transport.js';

/**
 * The transport `HUB_TRANSPORT` names, trusting `HUB_CA_FILE` beside Node's store for WebSocket TLS. Minimal: no
 * proxy (`proxyFor` is always `null`).
 */
export function createHubTransport(config: Pick<GatewayConfig, 'hubTransport' | 'hubCaPem'>): HubTransport {
  const caPem = config.hubCaPem;
  const options: Record<string, unknown> = caPem ? { ca: [...rootCertificates, caPem] } : {};
  if (config.hubTransport === 'amqp') return { kind: 'amqp', caPem, proxyFor: () => null };
  return {
    kind: 'websockets',
    caPem,
    webSocketOptions: { webSocket: WebSocket, webSocketConstructorOptions: options },
    webSocketFor: () => ({ webSocket: WebSocket, options }),
    proxyFor: () => null,
  };
}
