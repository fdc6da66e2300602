import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import rhea, { type Connection, type ConnectionOptions, type EventContext } from 'rhea';
import type { IotHubEndpoint } from '../../config/connection-string.js';
import { systemClock, type Clock } from '../../config/clock.js';
import type { HubTransport } from '../hub-transport.js';
import { connectionFailure, EndpointDiscoveryError } from './discovery-error.js';
import { eventHubConnectionString, readRedirect, type RedirectTarget } from './redirect.js';
import { iotHubSasToken } from './sas-token.js';

/** Default bound of one discovery, in ms: connect, authenticate, attach, redirect. */
export const DISCOVERY_TIMEOUT_MS = 10_000;
/** How long the discovery's SAS token is valid, in s (as the SDK sample: 5 minutes). */
const TOKEN_LIFETIME_S = 300;

/** Options of {@link discoverEventHubEndpoint}. */
export interface DiscoveryOptions {
  endpoint: IotHubEndpoint;
  /** `amqp`: AMQPS to `<host>:<port, default 5671>`; `websockets`: `wss://<host>:<port, default 443>/$servicebus/websocket`. */
  transport: Pick<HubTransport, 'kind' | 'caPem' | 'webSocketFor'>;
  /** Bound of the whole discovery in ms (default {@link DISCOVERY_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Schedules the timeout (default `systemClock`). The token's expiry always comes from the wall clock. */
  clock?: Clock;
}

/** A discovered Event Hub-compatible endpoint. */
export interface DiscoveredEndpoint extends RedirectTarget {
  /** Its connection string, with the IoT Hub policy's key. A secret: never log it. */
  connectionString: string;
}

/**
 * Discovers an IoT hub's Event Hub-compatible endpoint the way the service intends (the Event Hubs SDK's
 * `iothubConnectionString` sample): connects as `<policy>@sas.root.<hub>` with SASL PLAIN and a SAS token for
 * `<HostName>/messages/events` as the password, attaches a receiver to `amqps://<HostName>/messages/events/$management`
 * and reads the `amqp:link:redirect` the hub detaches it with. The connection is always closed after.
 * @throws EndpointDiscoveryError: `unauthorized` (wrong key, expired token), `service_connect_missing` (attach refused
 *   with `amqp:unauthorized-access`), `host_not_found`, `tls_untrusted`, `unreachable`, `timeout` (after `timeoutMs`),
 *   `no_redirect` (detached otherwise or closed without a redirect).
 */
export function discoverEventHubEndpoint(options: DiscoveryOptions): Promise<DiscoveredEndpoint> {
  const { endpoint, transport } = options;
  const timeoutMs = options.timeoutMs ?? DISCOVERY_TIMEOUT_MS;
  const clock = options.clock ?? systemClock;
  const password = iotHubSasToken({
    resource: `${endpoint.hostName}/messages/events`,
    keyName: endpoint.sharedAccessKeyName,
    key: endpoint.sharedAccessKey,
    expiresAtS: Date.now() / 1000 + TOKEN_LIFETIME_S,
  });
  const { where, connectOptions } = dialOptions(endpoint, transport);
  const container = rhea.create_container({ id: `gateway-discovery-${endpoint.hubName}` });
  return new Promise<DiscoveredEndpoint>((resolve, reject) => {
    let connection: Connection | undefined;
    let settled = false;
    const finish = (outcome: DiscoveredEndpoint | EndpointDiscoveryError): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      closeQuietly(connection);
      if (outcome instanceof EndpointDiscoveryError) reject(outcome);
      else resolve(outcome);
    };
    const timer = clock.setTimeout(
      () => finish(new EndpointDiscoveryError('timeout', `${where}: no redirect within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onLinkClosed = (context: EventContext): void => {
      const error = (context.receiver?.error ?? {}) as { condition?: string; description?: string; info?: unknown };
      if (error.condition === 'amqp:link:redirect') {
        const target = readRedirect(error.info);
        if (target) finish({ ...target, connectionString: eventHubConnectionString(target, endpoint) });
        else finish(new EndpointDiscoveryError('no_redirect', `${where}: a redirect without hostname or address`));
      } else if (error.condition === 'amqp:unauthorized-access') {
        finish(new EndpointDiscoveryError('service_connect_missing', `${where}: policy '${endpoint.sharedAccessKeyName}' may not read messages/events (${error.description ?? error.condition})`));
      } else {
        finish(new EndpointDiscoveryError('no_redirect', `${where}: receiver detached with ${error.condition ?? 'no error'}`));
      }
    };
    container.on('connection_open', (context: EventContext) => {
      context.connection.open_receiver({ source: { address: `amqps://${endpoint.hostName}/messages/events/$management` }, credit_window: 0 });
    });
    container.on('receiver_error', onLinkClosed);
    container.on('receiver_close', onLinkClosed);
    container.on('connection_error', (context: EventContext) => finish(connectionFailure(context.error ?? context.connection.error, where)));
    container.on('disconnected', (context: EventContext) => finish(connectionFailure(context.error ?? context.connection.error, where)));
    container.on('error', (context: EventContext) => finish(connectionFailure(context.error, where)));
    try {
      connection = container.connect({
        ...connectOptions,
        username: `${endpoint.sharedAccessKeyName}@sas.root.${endpoint.hubName}`,
        password,
        hostname: endpoint.host,
        reconnect: false,
      } as ConnectionOptions);
    } catch (error) {
      finish(connectionFailure(error, where));
    }
  });
}

/** Where and how to dial for the transport. */
function dialOptions(endpoint: IotHubEndpoint, transport: DiscoveryOptions['transport']): { where: string; connectOptions: Record<string, unknown> } {
  const ca = transport.caPem ? [...rootCertificates, transport.caPem] : undefined;
  if (transport.kind === 'websockets' && transport.webSocketFor) {
    const url = `wss://${endpoint.host}:${endpoint.port ?? 443}/$servicebus/websocket`;
    const { webSocket, options } = transport.webSocketFor(url);
    const connect = rhea.websocket_connect(webSocket as never);
    return { where: url, connectOptions: { connection_details: connect(url, ['AMQPWSB10'], options) } };
  }
  const port = endpoint.port ?? 5671;
  return { where: `${endpoint.host}:${port}`, connectOptions: { transport: 'tls', host: endpoint.host, port, ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }), ...(ca ? { ca } : {}) } };
}

/** Closes the connection and, should the peer never answer the close, ends its socket after 1 s. */
function closeQuietly(connection: Connection | undefined): void {
  if (!connection) return;
  try {
    if (connection.is_open()) connection.close();
  } catch {
    // already closing
  }
  const socket = (connection as unknown as { socket?: { destroy?(): void; end?(): void } }).socket;
  const timer = setTimeout(() => (socket?.destroy ? socket.destroy() : socket?.end?.()), 1000);
  timer.unref();
}
