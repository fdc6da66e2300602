/**
 * The gateway's validated configuration, derived once at boot from the environment and `.env` (see `.env.template`
 * for every key, its default and unit). Field names follow the environment keys in camelCase; durations carry their
 * unit in the name (`S` = seconds).
 */
export interface GatewayConfig {
  /**
   * `EVENTHUB_CONNECTION_STRING` (or its alias `IOTHUB_CONNECTION_STRING`): the Event Hub-compatible form
   * (`Endpoint=sb://...`) or the IoT Hub form (`HostName=...`), see `connection-string.ts`; `null` = demo mode on the
   * embedded emulator. A secret: never log it.
   */
  connectionString: string | null;
  /** `HUB_REDISCOVER_AFTER` in seconds, default 60: with an IoT Hub connection string, how long the consumer stays in the error state before the Event Hub-compatible endpoint is discovered again. */
  hubRediscoverAfterS: number;
  /** `HUB_TRANSPORT`: `amqp` (default; AMQPS on 5671) or `websockets` (AMQP over WebSocket on 443). */
  hubTransport: 'amqp' | 'websockets';
  /** `HUB_CA_FILE`: PEM certificate(s) trusted for the WebSocket transport and the IoT Hub endpoint discovery, read at start; `null` = Node's defaults. */
  hubCaPem: string | null;
  /** `HTTPS_PROXY` (or `https_proxy`): HTTP CONNECT proxy URL for the WebSocket transport and the discovery; `null` = none. A secret (may carry a password): never log it unredacted. */
  httpsProxy: string | null;
  /** `NO_PROXY` (or `no_proxy`): comma-separated hosts reached without the proxy (`*` = all; `.example.com` = subdomains). */
  noProxy: string[];
  /** `CHECKPOINT_STORE`: `store` (default: the `STORE` engine keeps checkpoints and ownership) or `blob` (Azure Blob storage). */
  checkpointStore: 'store' | 'blob';
  /** `AZURE_STORAGE_CONNECTION_STRING`, required with `CHECKPOINT_STORE=blob`; `null` otherwise. A secret: never log it. */
  azureStorageConnectionString: string | null;
  /** `CHECKPOINT_CONTAINER`: the Blob container of the checkpoints and ownerships, default `gateway-checkpoints`. */
  checkpointContainer: string;
  /** `CONSUMER_GROUP`, default `$Default`. */
  consumerGroup: string;
  /** `DEVICE_ID`: registered at start and the API's default device; `null` when unset. */
  defaultDeviceId: string | null;
  /** `INACTIVITY_TIMEOUT` in seconds, default 3600; 0 = never inactive. */
  inactivityTimeoutS: number;
  /** The API key in force; `null` = authentication off (`API_KEY=` set empty). A secret: never log it. */
  apiKey: string | null;
  /** `PORT`, default 5000. */
  port: number;
  /** `HOST`, default `127.0.0.1`. */
  host: string;
  /** `START_POSITION`: `latest` (default), `earliest`, or an enqueued time. */
  startPosition: 'latest' | 'earliest' | Date;
  /** `HISTORY_LIMIT`: messages kept per device, default 1000. */
  historyLimit: number;
  /** `STATE_DIR`, default `./.data`: API key file and registrations. */
  stateDir: string;
  /** `LOG_LEVEL`, default `info`. */
  logLevel: string;
  /** `LOG_FORMAT`: `pretty` (human-readable lines) or `json` (pino JSON lines); `null` (unset): pretty on a TTY. */
  logFormat: 'pretty' | 'json' | null;
  /** `ALLOW_UNAUTHENTICATED_REMOTE`, default false. */
  allowUnauthenticatedRemote: boolean;
  /** `CORS_ORIGINS`: allowed browser origins (comma-separated in the env); empty = same origin only. */
  corsOrigins: string[];
  /** `WS_HEARTBEAT_INTERVAL` in seconds, default 30. */
  wsHeartbeatIntervalS: number;
  /** `WS_MAX_QUEUE`: pending messages per WebSocket connection, default 1000. */
  wsMaxQueue: number;
  /** `WS_SLOW_CLIENT_TIMEOUT` in seconds, default 10. */
  wsSlowClientTimeoutS: number;
  /** `WS_MAX_SUBSCRIPTIONS` per connection, default 100. */
  wsMaxSubscriptions: number;
  /** `WS_MAX_CONNECTIONS`, default 10000. */
  wsMaxConnections: number;
  /** `SSE_HEARTBEAT_INTERVAL` in seconds, default 15. */
  sseHeartbeatIntervalS: number;
  /** `WS_MAX_PENDING_AUTH`: WebSocket connections still waiting for `auth`, default 100 (apart from `wsMaxConnections`). */
  wsMaxPendingAuth: number;
  /** `WS_AUTH_TIMEOUT` in seconds, default 2: time a WebSocket has to authenticate before 4401. */
  wsAuthTimeoutS: number;
  /**
   * `ALLOWED_HOSTS`: accepted `Host` header names, lower-case, without port (comma-separated in the env; `*` = any).
   * `null` = any host. Default: the loopback names and addresses when `HOST` is loopback, any otherwise.
   */
  allowedHosts: string[] | null;
  /** `AUTH_FAIL_LIMIT`: failed authentications per client address and window before 429, default 20. */
  authFailLimit: number;
  /** `AUTH_FAIL_WINDOW` in seconds, default 60. */
  authFailWindowS: number;
  /** `HUB_PROBE_INTERVAL` in seconds, default 5: period of the `getPartitionProperties` readiness probe. */
  hubProbeIntervalS: number;
  /** `HUB_STALL_TIMEOUT` in seconds, default 10: a partition behind its last enqueued event this long is stalled. */
  hubStallTimeoutS: number;
  /**
   * `STORE`: where telemetry, registrations and checkpoints are kept: `embedded` (default, a database file under
   * `STATE_DIR`), `memory` (lost on restart; registrations in `STATE_DIR`), `redis` (shared by several instances).
   */
  store: 'embedded' | 'memory' | 'redis';
  /** `REDIS_URL` (`redis://` or `rediss://`), required with `STORE=redis`; `null` otherwise. A secret: never log it. */
  redisUrl: string | null;
  /** `REDIS_PASSWORD`, when not in `REDIS_URL`; `null` when unset. A secret: never log it. */
  redisPassword: string | null;
  /** `PARTITION_BALANCING`: the SDK load balancer's strategy, `greedy` (default) or `balanced`. */
  partitionBalancing: 'greedy' | 'balanced';
  /** `PARTITION_CLAIM_INTERVAL` in seconds, default 2: how often the load balancer claims partitions. */
  partitionClaimIntervalS: number;
  /** `PARTITION_OWNERSHIP_EXPIRY` in seconds, default 10: a partition whose owner stopped claiming it is free after this. */
  partitionOwnershipExpiryS: number;
  /** `HUB_EVENTS_LIMIT`: non-telemetry hub events kept per registered device, default 100. */
  hubEventsLimit: number;
  /** `AGGREGATE_GRACE` in seconds, default 2: how long after its end a live aggregate bucket still counts late messages. */
  aggregateGraceS: number;
  /** `MAX_INFLATED_BODY` in bytes, default 1 MiB: the largest a gzip/deflate body may inflate to. */
  maxInflatedBody: number;
  /** `PROTO_FILE`: a `.proto` file for Protobuf bodies; `null` when unset. */
  protoFile: string | null;
  /** `PROTO_TYPE_PROPERTY`, default `messageType`: the application property naming a body's Protobuf message type. */
  protoTypeProperty: string;
  /** `MAX_PATTERN_DEVICES`, default 1000: devices registered through device ID patterns, at most. */
  maxPatternDevices: number;
}
