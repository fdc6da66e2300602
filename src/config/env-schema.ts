import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Keys whose values are secrets: never echoed in a validation message. */
const SECRET_KEYS = new Set([
  'EVENTHUB_CONNECTION_STRING', 'IOTHUB_CONNECTION_STRING', 'API_KEY', 'REDIS_URL', 'REDIS_PASSWORD',
  'AZURE_STORAGE_CONNECTION_STRING', 'HTTPS_PROXY',
]);

const Seconds = (def: number, min = 0) => Type.Integer({ minimum: min, maximum: 2_147_483, default: def });

/**
 * The one schema of the gateway's environment keys, with their defaults. Durations are in SECONDS.
 * `EVENTHUB_CONNECTION_STRING`, `DEVICE_ID` and `API_KEY` have no default: their absence means something
 * (demo mode, no default device, generated key). Documented key by key in `.env.template`.
 */
export const EnvSchema = Type.Object({
  EVENTHUB_CONNECTION_STRING: Type.Optional(Type.String()),
  IOTHUB_CONNECTION_STRING: Type.Optional(Type.String()),
  HUB_REDISCOVER_AFTER: Seconds(60, 1),
  HUB_TRANSPORT: Type.Union([Type.Literal('amqp'), Type.Literal('websockets')], { default: 'amqp' }),
  HUB_CA_FILE: Type.Optional(Type.String()),
  HTTPS_PROXY: Type.Optional(Type.String()),
  NO_PROXY: Type.Optional(Type.String()),
  CHECKPOINT_STORE: Type.Union([Type.Literal('store'), Type.Literal('blob')], { default: 'store' }),
  AZURE_STORAGE_CONNECTION_STRING: Type.Optional(Type.String()),
  CHECKPOINT_CONTAINER: Type.String({ minLength: 3, maxLength: 63, pattern: '^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$', default: 'gateway-checkpoints' }),
  CONSUMER_GROUP: Type.String({ minLength: 1, default: '$Default' }),
  DEVICE_ID: Type.Optional(Type.String()),
  INACTIVITY_TIMEOUT: Seconds(3600),
  API_KEY: Type.Optional(Type.String()),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  START_POSITION: Type.String({ minLength: 1, default: 'latest' }),
  HISTORY_LIMIT: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 }),
  STATE_DIR: Type.String({ minLength: 1, default: './.data' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  LOG_FORMAT: Type.Optional(Type.Union([Type.Literal('pretty'), Type.Literal('json')])),
  ALLOW_UNAUTHENTICATED_REMOTE: Type.Boolean({ default: false }),
  CORS_ORIGINS: Type.String({ default: '' }),
  WS_HEARTBEAT_INTERVAL: Seconds(30, 1),
  WS_MAX_QUEUE: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 1000 }),
  WS_SLOW_CLIENT_TIMEOUT: Seconds(10, 1),
  WS_MAX_SUBSCRIPTIONS: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 100 }),
  WS_MAX_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 10000 }),
  SSE_HEARTBEAT_INTERVAL: Seconds(15, 1),
  WS_MAX_PENDING_AUTH: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 100 }),
  WS_AUTH_TIMEOUT: Seconds(2, 1),
  ALLOWED_HOSTS: Type.String({ default: '' }),
  AUTH_FAIL_LIMIT: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 20 }),
  AUTH_FAIL_WINDOW: Seconds(60, 1),
  HUB_PROBE_INTERVAL: Seconds(5, 1),
  HUB_STALL_TIMEOUT: Seconds(10, 1),
  STORE: Type.Union([Type.Literal('embedded'), Type.Literal('memory'), Type.Literal('redis')], { default: 'embedded' }),
  REDIS_URL: Type.Optional(Type.String()),
  REDIS_PASSWORD: Type.Optional(Type.String()),
  PARTITION_BALANCING: Type.Union([Type.Literal('greedy'), Type.Literal('balanced')], { default: 'greedy' }),
  PARTITION_CLAIM_INTERVAL: Seconds(2, 1),
  PARTITION_OWNERSHIP_EXPIRY: Seconds(10, 1),
  HUB_EVENTS_LIMIT: Type.Integer({ minimum: 1, maximum: 100_000, default: 100 }),
  AGGREGATE_GRACE: Seconds(2),
  MAX_INFLATED_BODY: Type.Integer({ minimum: 1, maximum: 268_435_456, default: 1_048_576 }),
  PROTO_FILE: Type.Optional(Type.String({ minLength: 1 })),
  PROTO_TYPE_PROPERTY: Type.String({ minLength: 1, default: 'messageType' }),
  MAX_PATTERN_DEVICES: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 }),
});

/** The environment after validation, defaults applied and numbers/booleans converted. */
export type EnvValues = Static<typeof EnvSchema>;

/** A configuration value that failed validation; the message names the key and never contains a secret. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the environment against {@link EnvSchema}: picks the known keys, applies defaults, converts strings to
 * numbers/booleans (`true`/`false` only), and checks ranges.
 * @throws ConfigError naming the first bad key and what is wrong (secret values are never quoted).
 */
export function parseEnv(env: Record<string, string | undefined>): EnvValues {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const raw = env[key];
    if (raw === undefined) continue;
    // An empty value means "unset" except for API_KEY, where empty deliberately switches authentication off.
    if (raw.trim() === '' && key !== 'API_KEY') continue;
    picked[key] = key === 'API_KEY' ? raw : raw.trim();
  }
  for (const [key, value] of Object.entries(picked)) {
    // TypeBox's Convert truncates `1.5` and `1e3` to 1: refuse anything but decimal digits for whole numbers.
    if (EnvSchema.properties[key as keyof EnvValues].type === 'integer' && !/^\d+$/.test(String(value))) {
      throw new ConfigError(`Invalid configuration ${key}: expected a whole number in decimal digits (got ${JSON.stringify(value)})`);
    }
  }
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, picked));
  const first = Value.Errors(EnvSchema, converted).First();
  if (first) {
    const key = first.path.replace(/^\//, '');
    const shown = SECRET_KEYS.has(key) ? '' : ` (got ${JSON.stringify(picked[key])})`;
    throw new ConfigError(`Invalid configuration ${key}: ${first.message}${shown}`);
  }
  return converted as EnvValues;
}
