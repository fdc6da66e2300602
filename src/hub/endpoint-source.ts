import { parseConnectionString } from '../config/connection-string.js';
import type { Clock } from '../config/clock.js';
import { describeHubError } from './describe-hub-error.js';
import type { HubProblem } from './hub-health.js';
import type { HubTransport } from './hub-transport.js';
import { discoverEventHubEndpoint, type DiscoveredEndpoint } from './iothub/discover-endpoint.js';
import { EndpointDiscoveryError } from './iothub/discovery-error.js';

/** Where the consumer gets its Event Hub-compatible connection string from, on every (re)open. */
export interface EndpointSource {
  /** True for an IoT Hub connection string: each `resolve` discovers the endpoint afresh (it moves on failover). */
  readonly discovers: boolean;
  /**
   * The Event Hub-compatible connection string (a secret: never log it) and, when discovered, where it points.
   * @throws EndpointDiscoveryError when the discovery fails (see `iothub/discover-endpoint.ts`).
   */
  resolve(): Promise<{ connectionString: string; discovered: DiscoveredEndpoint | null }>;
}

/**
 * The endpoint source of a connection string of either form: an Event Hub-compatible one is used as it is; an IoT Hub
 * one (`HostName=`) is turned into one by the redirect discovery over `transport` (default AMQPS), bounded by
 * `timeoutMs` (default 10,000 ms) on `clock`. A string that does not parse is handed to the SDK as it is, which
 * reports it.
 */
export function endpointSource(connectionString: string, transport: HubTransport | undefined, clock: Clock, timeoutMs?: number): EndpointSource {
  let endpoint: ReturnType<typeof parseConnectionString> | null;
  try {
    endpoint = parseConnectionString(connectionString);
  } catch {
    endpoint = null;
  }
  if (endpoint?.kind !== 'iothub') {
    return { discovers: false, resolve: () => Promise.resolve({ connectionString, discovered: null }) };
  }
  const iotHub = endpoint;
  const via = transport ?? { kind: 'amqp' as const, caPem: null };
  return {
    discovers: true,
    resolve: async () => {
      const discovered = await discoverEventHubEndpoint({ endpoint: iotHub, transport: via, clock, ...(timeoutMs ? { timeoutMs } : {}) });
      return { connectionString: discovered.connectionString, discovered };
    },
  };
}

/** The hub problem of a failed open: a discovery failure with its own public reason, or an SDK error. */
export function openProblem(error: unknown): HubProblem {
  if (error instanceof EndpointDiscoveryError) return { kind: error.kind, detail: error.message, reason: error.publicReason };
  const { kind, reason } = describeHubError(error);
  return { kind, detail: reason };
}

/** `<hostname>:<port>, event hub '<name>'` of a discovered endpoint (no secret), for the log. */
export function describeTarget(d: DiscoveredEndpoint): string {
  return `${d.hostname}:${d.port}, event hub '${d.eventHubName}'`;
}
