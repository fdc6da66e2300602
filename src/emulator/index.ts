import type { AddressInfo } from 'node:net';
import { IotHubEntry } from './amqp/iothub-entry.js';
import { IOT_HUB_POLICIES } from './amqp/iothub-policies.js';
import { AmqpServer } from './amqp/server.js';
import { isValidDeviceId, MAX_MESSAGE_BYTES } from './device-id.js';
import type { Emulator, EmulatorOptions, EmulatorStats, SendOptions, SendResult } from './emulator-types.js';
import { EventHub } from './event-hub.js';
import { FaultSwitches } from './faults.js';
import { DEFAULT_DATA_FILE_LIMITS, GroupCommit } from './group-commit.js';
import { buildHttpServer } from './http-server.js';
import { Persistence } from './persistence.js';
import { startSimulator } from './simulator.js';
import { generateTlsMaterial, readTlsMaterial, type TlsMaterial } from './tls/certificate.js';

export type * from './emulator-types.js';
export { StorageError, type StorageErrorCode } from './group-commit.js';
export { IOT_HUB_POLICIES, type IotHubPolicy } from './amqp/iothub-policies.js';
export { startSimulator, SIMULATED_DEVICE_IDS, SIMULATED_DEVICE_UNITS, type Simulation } from './simulator.js';

/** Default event hub name, in the shape of an IoT Hub's built-in endpoint name. */
export const DEFAULT_HUB_NAME = 'iothub-ehub-local';
/** Public dummy key of the emulator's connection string (the emulator checks only token expiry). */
const KEY_NAME = 'iothubowner';
const KEY = IOT_HUB_POLICIES.iothubowner!.key;

/**
 * Starts the local IoT hub emulator: an Event Hub-compatible AMQP endpoint (plain AMQP, for the official
 * `@azure/event-hubs` SDK with `UseDevelopmentEmulator=true`; or with `tls` AMQPS and AMQP over WebSocket on that
 * port), a device HTTP API and a control API. Defaults: ports 0
 * (free ports), host `127.0.0.1`, 4 partitions, hub `iothub-ehub-local`, retention 100,000 events and 24 h per
 * partition, no data file, no simulation. Behaviour follows src/emulator/EVENT-HUBS-AMQP.md and IoT Hub's built-in endpoint.
 * @throws when a port cannot be bound, the data file or TLS files cannot be read or written, or `partitions` is not 1–32.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const count = options.partitions ?? 4;
  if (!Number.isInteger(count) || count < 1 || count > 32) throw new RangeError(`partitions must be 1–32, got ${count}`);
  const hub = new EventHub(options.hubName ?? DEFAULT_HUB_NAME, count, {
    maxEvents: options.retention?.maxEventsPerPartition ?? 100_000,
    maxAgeMs: options.retention?.maxAgeMs ?? 86_400_000,
  });
  const tls = await openTls(options.tls, host);
  const persistence = options.dataFile ? await Persistence.open(options.dataFile, hub) : undefined;
  const commits = persistence
    ? new GroupCommit(hub, (events) => persistence.writeDurably(events), { ...DEFAULT_DATA_FILE_LIMITS, ...options.dataFileLimits })
    : undefined;
  const faults = new FaultSwitches();
  const now = options.now ?? Date.now;
  const amqp = new AmqpServer(hub, faults, tls);
  faults.bind(amqp);

  const send = (deviceId: string, body: string | Uint8Array, o: SendOptions = {}): Promise<SendResult> => {
    if (!isValidDeviceId(deviceId)) return Promise.reject(new TypeError(`Invalid device ID: ${JSON.stringify(deviceId)}`));
    if (o.moduleId !== undefined && !isValidDeviceId(o.moduleId)) {
      return Promise.reject(new TypeError(`Invalid module ID: ${JSON.stringify(o.moduleId)}`));
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (bytes.length > MAX_MESSAGE_BYTES) return Promise.reject(new TypeError(`Message body exceeds ${MAX_MESSAGE_BYTES} bytes`));
    const input = { ...o, deviceId, body: bytes, messageSource: o.messageSource ?? 'Telemetry' };
    return commits ? commits.submit(input) : Promise.resolve(hub.enqueue(input, now()));
  };
  const stats = (): EmulatorStats => {
    const now = Date.now();
    return {
      connections: amqp.connectionCount,
      receivers: [...amqp.ownership.all()].map(({ spec }) => ({ partitionId: spec.partitionId, consumerGroup: spec.consumerGroup, ownerLevel: spec.ownerLevel })),
      partitions: hub.partitions.map((log) => {
        log.trim(now);
        return { partitionId: log.partitionId, beginSequenceNumber: log.beginSequenceNumber, lastEnqueuedSequenceNumber: log.nextSequenceNumber - 1 };
      }),
    };
  };
  const http = buildHttpServer({ send, stats, faults });
  let amqpPort: number;
  try {
    amqpPort = await amqp.listen(options.amqpPort ?? 0, host);
    await http.listen({ port: options.httpPort ?? 0, host });
  } catch (error) {
    await amqp.close();
    await http.close();
    await tls?.dispose();
    throw error;
  }
  const httpPort = (http.server.address() as AddressInfo).port;
  // The IoT hub entry needs TLS: IoT Hub clients dial AMQPS, and the redirect points at this port's AMQPS endpoint.
  const iotHubHostName = tls ? `${tlsHost(host)}:${amqpPort}` : null;
  if (iotHubHostName) {
    amqp.serveIotHub(new IotHubEntry({ hostName: iotHubHostName, redirect: { host: tlsHost(host), port: amqpPort, eventHubName: hub.name } }));
  }
  const simulation = options.simulate
    ? startSimulator({ send }, typeof options.simulate === 'object' ? options.simulate : {})
    : undefined;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      simulation?.stop();
      faults.close();
      await http.close();
      await amqp.close();
      await commits?.close();
      await persistence?.close(hub);
      await tls?.dispose();
    })());

  return {
    connectionString: tls
      ? `Endpoint=sb://${tlsHost(host)}:${amqpPort}/;SharedAccessKeyName=${KEY_NAME};SharedAccessKey=${KEY};EntityPath=${hub.name}`
      : `Endpoint=sb://${connectHost(host)}:${amqpPort}/;SharedAccessKeyName=${KEY_NAME};SharedAccessKey=${KEY};` +
        `EntityPath=${hub.name};UseDevelopmentEmulator=true`,
    iotHubConnectionString: iotHubHostName ? `HostName=${iotHubHostName};SharedAccessKeyName=${KEY_NAME};SharedAccessKey=${KEY}` : null,
    caFile: tls?.caFile ?? null,
    amqpPort,
    httpPort,
    hubName: hub.name,
    partitionIds: [...hub.partitionIds],
    send,
    partitionOf: (deviceId) => hub.partitionOf(deviceId),
    stats,
    faults,
    close,
  };
}

function openTls(tls: EmulatorOptions['tls'], host: string): Promise<TlsMaterial | undefined> {
  if (!tls) return Promise.resolve(undefined);
  return tls === true ? generateTlsMaterial(host) : readTlsMaterial(tls.certFile, tls.keyFile, tls.caFile);
}

/** The host TLS clients should dial: `localhost` (the certificate's name) for a loopback or wildcard address. */
function tlsHost(host: string): string {
  return ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(host) ? 'localhost' : connectHost(host);
}

/** The host clients should dial: loopback for a wildcard listen address; IPv6 literals in brackets. */
function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
