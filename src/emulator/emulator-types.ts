/**
 * Public types of the local IoT hub emulator. The emulator imports nothing from the gateway and could be published on
 * its own.
 */

/** Retention of each partition: the oldest events are dropped once either bound is exceeded. */
export interface RetentionOptions {
  /** Most events kept per partition (default 100,000). */
  maxEventsPerPartition?: number;
  /** Oldest enqueued time kept, in ms before now (default 24 h = 86,400,000 ms). */
  maxAgeMs?: number;
}

/** Options of {@link startEmulator}. Every field is optional; port 0 picks a free port. */
export interface EmulatorOptions {
  /** AMQP port (default 0: a free port). The CLI defaults to 5672. */
  amqpPort?: number;
  /** HTTP port of the device API and control API (default 0: a free port). The CLI defaults to 8081. */
  httpPort?: number;
  /** Interface both servers listen on (default `127.0.0.1`). */
  host?: string;
  /** Number of partitions (default 4, 1–32 as IoT Hub allows). */
  partitions?: number;
  /** Event hub name (default `iothub-ehub-local`). */
  hubName?: string;
  /**
   * File the events are appended to and replayed from at start (`--data-file`); none by default. With a file, a send
   * resolves (and the HTTP APIs answer 204) only once its event is written and fsynced, and readers see it only then.
   */
  dataFile?: string;
  /** Bounds of the data file's group commit (defaults in {@link DataFileLimits}). */
  dataFileLimits?: Partial<DataFileLimits>;
  /** Retention bounds per partition. */
  retention?: RetentionOptions;
  /**
   * The clock of enqueued times, ms since the epoch (default `Date.now`; without a data file only): tests give events
   * chosen enqueued times by sharing a fake clock with the gateway.
   */
  now?: () => number;
  /** Start the simulated devices ({@link startSimulator}); `intervalMs` is the period per device in ms (default 1000). */
  simulate?: boolean | { intervalMs?: number };
  /**
   * TLS on the AMQP port (`--tls`): AMQPS and AMQP over WebSocket (`wss://<host>:<amqpPort>/$servicebus/websocket`,
   * subprotocol `AMQPWSB10`) on that one port. `true` generates a CA and a server certificate for `localhost` at start
   * (the CA in {@link Emulator.caFile}, removed at close); or PEM files. Default: off (plain AMQP).
   */
  tls?: boolean | { certFile: string; keyFile: string; caFile?: string };
}

/** Bounds of the data file's group commit. A send beyond a bound is refused (`storage_busy`, HTTP 503). */
export interface DataFileLimits {
  /** Events waiting for the next batch write (default 10,000). */
  maxPendingEvents: number;
  /** Body bytes waiting for the next batch write (default 32 MiB). */
  maxPendingBytes: number;
  /** Longest batch write + fsync, in ms (default 10,000); a slower one fails the data file (`storage_failed`). */
  writeTimeoutMs: number;
}

/** An application property value as a device or the control API gives it. */
export type EmulatorPropertyValue = string | number | boolean;

/**
 * What a device sets on a device-to-cloud message, mirroring IoT Hub's device HTTPS API headers
 * (https://learn.microsoft.com/rest/api/iothub/device/send-device-event).
 */
export interface SendOptions {
  /** Module ID: the event then carries `iothub-connection-module-id`. */
  moduleId?: string;
  /** `iothub-message-source` (default `Telemetry`; e.g. `twinChangeEvents`, `deviceLifecycleEvents`). */
  messageSource?: string;
  /** AMQP `content_type` (header `iothub-contenttype`). */
  contentType?: string;
  /** AMQP `content_encoding` (header `iothub-contentencoding`). */
  contentEncoding?: string;
  /** AMQP `message_id` (header `iothub-messageid`). */
  messageId?: string;
  /** AMQP `correlation_id` (header `iothub-correlationid`). */
  correlationId?: string;
  /** Device creation time, kept as the application property `iothub-creation-time-utc` (a string, as sent). */
  creationTimeUtc?: string;
  /** Application properties (headers `iothub-app-<name>`); types are kept on the AMQP message. */
  properties?: Record<string, EmulatorPropertyValue>;
}

/** Where an event landed. */
export interface SendResult {
  /** The device's partition (see {@link Emulator.partitionOf}). */
  partitionId: string;
  /** Sequence number within the partition, from 0. */
  sequenceNumber: number;
  /** Offset within the partition (a decimal string, as Event Hubs sends it). */
  offset: string;
  /** Enqueued time (ms precision). */
  enqueuedTime: Date;
}

/** Snapshot of the emulator: the body of `GET /_emulator/stats`. */
export interface EmulatorStats {
  /** Open AMQP connections. */
  connections: number;
  /** Attached partition receivers. `ownerLevel` is `null` for a receiver without owner level. */
  receivers: { partitionId: string; consumerGroup: string; ownerLevel: number | null }[];
  /** Per partition: retained range; `lastEnqueuedSequenceNumber` is -1 before the first event. */
  partitions: { partitionId: string; beginSequenceNumber: number; lastEnqueuedSequenceNumber: number }[];
}

/** Fault injection, for recovery tests. */
export interface EmulatorFaults {
  /** Drops every AMQP connection with the error `amqp:connection:forced` (clients may reconnect at once). */
  disconnect(): void;
  /** For `ms` milliseconds, `$cbs` put-token answers 401 (unauthorized). */
  rejectAuth(ms: number): void;
  /** For `ms` milliseconds, the AMQP side stops answering: no reads, no replies, no deliveries. */
  stall(ms: number): void;
  /**
   * For `ms` milliseconds, partition receivers deliver nothing while `$cbs` and `$management` keep answering (a
   * receive link that is attached but stuck); held events are delivered when it ends. `0` ends a running hold.
   */
  holdDeliveries(ms: number): void;
}

/** A running emulator, as returned by {@link startEmulator}. */
export interface Emulator {
  /**
   * `Endpoint=sb://<host>:<amqpPort>/;SharedAccessKeyName=...;SharedAccessKey=...;EntityPath=<hub>;UseDevelopmentEmulator=true`
   * (plain AMQP); with TLS `Endpoint=sb://localhost:<amqpPort>/;...;EntityPath=<hub>` (no `UseDevelopmentEmulator`). The
   * key is a fixed, public dummy.
   */
  connectionString: string;
  /**
   * With TLS: `HostName=<host>:<amqpPort>;SharedAccessKeyName=iothubowner;SharedAccessKey=<key>`, the IoT Hub connection
   * string of the emulator's IoT hub entry (the `:port` is our extension; the hub's name is the host's first label).
   * `null` without TLS.
   */
  iotHubConnectionString: string | null;
  /** With TLS: the PEM file of the CA clients must trust (`NODE_EXTRA_CA_CERTS`, `HUB_CA_FILE`); `null` without TLS. */
  caFile: string | null;
  /** The bound AMQP port (the real one when 0 was asked). */
  amqpPort: number;
  /** The bound HTTP port of the device API and control API. */
  httpPort: number;
  /** The event hub name (`EntityPath`). */
  hubName: string;
  /** `"0"` … `"<partitions - 1>"`. */
  partitionIds: string[];
  /**
   * Enqueues a device-to-cloud message from `deviceId` (the same path as the HTTP device API). With a data file, it
   * resolves once the event is written and fsynced (group commit) and readers see it only then.
   * @throws TypeError when the device ID or module ID breaks IoT Hub's ID rules, or the body exceeds 256 KiB.
   * @throws StorageError with a data file: `storage_busy` (too many waiting), `storage_failed`, `storage_closed`.
   */
  send(deviceId: string, body: string | Uint8Array, options?: SendOptions): Promise<SendResult>;
  /** The partition a device's messages land in (stable hash of the device ID). */
  partitionOf(deviceId: string): string;
  /** Same shape as `GET /_emulator/stats`. */
  stats(): EmulatorStats;
  faults: EmulatorFaults;
  /** Stops the simulator and both servers, drops AMQP connections, waits for pending writes, compacts the data file. Idempotent. */
  close(): Promise<void>;
}
