import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import type { GatewayConfig } from './gateway-config.js';
import { parseAllowedHosts } from './allowed-hosts.js';
import { resolveApiKey, type ApiKeySource } from './api-key.js';
import { parseConnectionString } from './connection-string.js';
import { ConfigError, parseEnv, type EnvValues } from './env-schema.js';
import { parseStartPosition } from './start-position.js';
import { validateDeviceId } from '../schemas/device-id.js';

/** The result of {@link loadConfig}: the configuration plus what the banner and the log should say about it. */
export interface LoadedConfig {
  config: GatewayConfig;
  apiKeySource: ApiKeySource;
  /** Warnings to log at start (never containing a secret). */
  warnings: string[];
}

/**
 * Reads `.env` (dotenv; real environment variables win) unless `dotenvPath` is `false`, validates every key against
 * the env schema, checks the connection string and `DEVICE_ID`, and settles the API key (may create
 * `STATE_DIR/api-key`). Keys, defaults and meanings: `.env.template`.
 * @throws ConfigError / ConnectionStringError naming the bad key or part, without quoting secrets.
 */
export async function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: { dotenvPath?: string | false } = {},
): Promise<LoadedConfig> {
  const merged: Record<string, string | undefined> = { ...env };
  if (options.dotenvPath !== false) {
    const fromFile: Record<string, string> = {};
    loadDotenv({ path: options.dotenvPath ?? '.env', processEnv: fromFile, quiet: true });
    for (const [key, value] of Object.entries(fromFile)) if (merged[key] === undefined) merged[key] = value;
  }
  const values = parseEnv(merged);
  const connectionString = pickConnectionString(values);
  if (connectionString) parseConnectionString(connectionString);
  const defaultDeviceId = values.DEVICE_ID ?? null;
  if (defaultDeviceId) {
    const problem = validateDeviceId(defaultDeviceId);
    if (problem) throw new ConfigError(`Invalid configuration DEVICE_ID: ${problem}`);
  }
  const stateDir = resolve(values.STATE_DIR);
  const redisUrl = values.REDIS_URL ?? null;
  if (values.STORE === 'redis' && !redisUrl) throw new ConfigError('Invalid configuration REDIS_URL: required with STORE=redis (redis://host:6379 or rediss://host:6380)');
  if (redisUrl && !/^rediss?:\/\/[^\s]+$/i.test(redisUrl)) throw new ConfigError('Invalid configuration REDIS_URL: expected a redis:// or rediss:// URL');
  if (values.STORE === 'redis' && !connectionString) {
    throw new ConfigError('Invalid configuration STORE: redis needs EVENTHUB_CONNECTION_STRING (demo mode runs its own emulator, whose checkpoints and demo devices must not go into a shared Redis)');
  }
  const azureStorageConnectionString = values.AZURE_STORAGE_CONNECTION_STRING ?? null;
  if (values.CHECKPOINT_STORE === 'blob' && !azureStorageConnectionString) {
    throw new ConfigError('Invalid configuration AZURE_STORAGE_CONNECTION_STRING: required with CHECKPOINT_STORE=blob (Azure portal → storage account → Access keys → Connection string)');
  }
  if (values.CHECKPOINT_STORE === 'blob' && !connectionString) {
    throw new ConfigError('Invalid configuration CHECKPOINT_STORE: blob needs EVENTHUB_CONNECTION_STRING (demo mode runs its own emulator, whose log is new at every start)');
  }
  const hubCaPem = values.HUB_CA_FILE ? await readCaFile(values.HUB_CA_FILE) : null;
  const httpsProxy = values.HTTPS_PROXY ?? nonEmpty(merged.https_proxy);
  if (httpsProxy && !/^https?:\/\/[^\s/]+/i.test(httpsProxy)) throw new ConfigError('Invalid configuration HTTPS_PROXY: expected http://[user:password@]host:port');
  if (values.PARTITION_OWNERSHIP_EXPIRY <= values.PARTITION_CLAIM_INTERVAL) {
    throw new ConfigError(`Invalid configuration PARTITION_OWNERSHIP_EXPIRY: must be longer than PARTITION_CLAIM_INTERVAL (${values.PARTITION_CLAIM_INTERVAL} s), or ownerships expire before they are renewed`);
  }
  const { apiKey, source } = await resolveApiKey({
    envValue: values.API_KEY,
    stateDir,
    host: values.HOST,
    allowUnauthenticatedRemote: values.ALLOW_UNAUTHENTICATED_REMOTE,
  });
  const warnings: string[] = [];
  if (azureStorageConnectionString && values.CHECKPOINT_STORE !== 'blob') warnings.push('AZURE_STORAGE_CONNECTION_STRING is set but CHECKPOINT_STORE is not blob: Blob storage is not used.');
  if (redisUrl && values.STORE !== 'redis') warnings.push(`REDIS_URL is set but STORE is ${values.STORE}: Redis is not used (set STORE=redis to share state between instances).`);
  if (source === 'disabled') {
    warnings.push('API_KEY is set empty: authentication is OFF, anyone who can reach the gateway can use the API.');
  }
  const config: GatewayConfig = {
    connectionString,
    hubRediscoverAfterS: values.HUB_REDISCOVER_AFTER,
    hubTransport: values.HUB_TRANSPORT,
    hubCaPem,
    httpsProxy,
    noProxy: (values.NO_PROXY ?? nonEmpty(merged.no_proxy) ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    checkpointStore: values.CHECKPOINT_STORE,
    azureStorageConnectionString,
    checkpointContainer: values.CHECKPOINT_CONTAINER,
    consumerGroup: values.CONSUMER_GROUP,
    defaultDeviceId,
    inactivityTimeoutS: values.INACTIVITY_TIMEOUT,
    apiKey,
    port: values.PORT,
    host: values.HOST,
    startPosition: parseStartPosition(values.START_POSITION),
    historyLimit: values.HISTORY_LIMIT,
    hubEventsLimit: values.HUB_EVENTS_LIMIT,
    aggregateGraceS: values.AGGREGATE_GRACE,
    maxInflatedBody: values.MAX_INFLATED_BODY,
    protoFile: values.PROTO_FILE ?? null,
    protoTypeProperty: values.PROTO_TYPE_PROPERTY,
    maxPatternDevices: values.MAX_PATTERN_DEVICES,
    stateDir,
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT ?? null,
    allowUnauthenticatedRemote: values.ALLOW_UNAUTHENTICATED_REMOTE,
    corsOrigins: values.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    wsHeartbeatIntervalS: values.WS_HEARTBEAT_INTERVAL,
    wsMaxQueue: values.WS_MAX_QUEUE,
    wsSlowClientTimeoutS: values.WS_SLOW_CLIENT_TIMEOUT,
    wsMaxSubscriptions: values.WS_MAX_SUBSCRIPTIONS,
    wsMaxConnections: values.WS_MAX_CONNECTIONS,
    sseHeartbeatIntervalS: values.SSE_HEARTBEAT_INTERVAL,
    wsMaxPendingAuth: values.WS_MAX_PENDING_AUTH,
    wsAuthTimeoutS: values.WS_AUTH_TIMEOUT,
    allowedHosts: parseAllowedHosts(values.ALLOWED_HOSTS, values.HOST),
    authFailLimit: values.AUTH_FAIL_LIMIT,
    authFailWindowS: values.AUTH_FAIL_WINDOW,
    hubProbeIntervalS: values.HUB_PROBE_INTERVAL,
    hubStallTimeoutS: values.HUB_STALL_TIMEOUT,
    store: values.STORE,
    redisUrl,
    redisPassword: values.REDIS_PASSWORD ?? null,
    partitionBalancing: values.PARTITION_BALANCING,
    partitionClaimIntervalS: values.PARTITION_CLAIM_INTERVAL,
    partitionOwnershipExpiryS: values.PARTITION_OWNERSHIP_EXPIRY,
  };
  return { config, apiKeySource: source, warnings };
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/**
 * `EVENTHUB_CONNECTION_STRING`, or its alias `IOTHUB_CONNECTION_STRING`; both set must be equal.
 * @throws ConfigError when both are set and differ (neither is quoted).
 */
function pickConnectionString(values: EnvValues): string | null {
  const main = values.EVENTHUB_CONNECTION_STRING;
  const alias = values.IOTHUB_CONNECTION_STRING;
  if (main && alias && main !== alias) {
    throw new ConfigError('Invalid configuration IOTHUB_CONNECTION_STRING: EVENTHUB_CONNECTION_STRING is set too, to another value; set only one of them');
  }
  return main ?? alias ?? null;
}

/** The PEM text of `HUB_CA_FILE`. @throws ConfigError when it cannot be read or holds no certificate. */
async function readCaFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration HUB_CA_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`Invalid configuration HUB_CA_FILE: ${path} holds no PEM certificate`);
  return text;
}
