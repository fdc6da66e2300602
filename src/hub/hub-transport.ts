import type { WebSocketOptions } from '@azure/event-hubs';

/**
 * How the gateway reaches the hub's AMQP endpoints, shared by the Event Hubs SDK client and the IoT Hub endpoint
 * discovery: `amqp` = AMQP over TLS (port 5671 unless the endpoint names one; trust from Node's store plus
 * `NODE_EXTRA_CA_CERTS`, as the SDK takes no TLS options for it); `websockets` = AMQP over WebSocket
 * (`wss://<host>:<port, default 443>/$servicebus/websocket`, subprotocol `AMQPWSB10`) through `ws`, trusting `caPem`
 * too and going through `HTTPS_PROXY` unless `NO_PROXY` names the host. Built from the config by `createHubTransport`.
 */
export interface HubTransport {
  kind: 'amqp' | 'websockets';
  /** `HUB_CA_FILE`'s PEM text, trusted beside Node's store for WebSocket and discovery TLS; `null` = none. */
  caPem: string | null;
  /**
   * The SDK's `webSocketOptions` for `websockets` (a `ws` constructor whose options carry `ca` and, when a proxy
   * applies, the proxy agent); `undefined` for `amqp`.
   */
  webSocketOptions?: WebSocketOptions;
  /**
   * For `websockets`: the `ws` options (`ca`, `agent`) a WebSocket to `url` (`wss://host:port/...`) is opened with,
   * the proxy chosen by `NO_PROXY` for that host. Used by the discovery, which dials hosts the SDK never sees.
   */
  webSocketFor?(url: string): { webSocket: WebSocketOptions['webSocket']; options: Record<string, unknown> };
  /** The proxy in use for `url`, redacted (`http://proxy:3128`, no credentials), or `null`; for logs and errors. */
  proxyFor(url: string): string | null;
}
