import type { IotHubEndpoint } from '../../config/connection-string.js';

/** Where IoT Hub's redirect points: its Event Hub-compatible endpoint. */
export interface RedirectTarget {
  /** The Event Hubs namespace host (`hostname` of the redirect). */
  hostname: string;
  /** AMQPS port (`port` of the redirect, else the address's, else 5671). */
  port: number;
  /** The Event Hub-compatible name: the first path segment of `address` (may differ from the hub's name). */
  eventHubName: string;
}

/**
 * Reads the info map of an `amqp:link:redirect` detach (`hostname`, `network-host`, `port`, `address` =
 * `amqps://<host>:<port>/<event hub name>/$management`), as IoT Hub sends it and the Event Hubs SDK's
 * `iothubConnectionString` sample reads it. @returns `null` when `hostname` or the name in `address` is missing.
 */
export function readRedirect(info: unknown): RedirectTarget | null {
  if (!info || typeof info !== 'object') return null;
  const map = info as Record<string, unknown>;
  const address = typeof map.address === 'string' ? map.address : '';
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  const eventHubName = decodeURIComponent(url.pathname.split('/').filter(Boolean)[0] ?? '');
  const hostname = typeof map.hostname === 'string' && map.hostname ? map.hostname : url.hostname;
  const port = Number(map.port ?? (url.port || 5671));
  if (!hostname || !eventHubName || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { hostname, port, eventHubName };
}

/**
 * The Event Hub-compatible connection string for a redirect target, with the IoT Hub policy's name and key:
 * `Endpoint=sb://<hostname>[:<port> when not 5671]/;SharedAccessKeyName=..;SharedAccessKey=..;EntityPath=<name>`.
 * A secret: never log it.
 */
export function eventHubConnectionString(target: RedirectTarget, endpoint: IotHubEndpoint): string {
  const port = target.port === 5671 ? '' : `:${target.port}`;
  return (
    `Endpoint=sb://${target.hostname}${port}/;SharedAccessKeyName=${endpoint.sharedAccessKeyName};` +
    `SharedAccessKey=${endpoint.sharedAccessKey};EntityPath=${target.eventHubName}`
  );
}
