import { Redis } from 'ioredis';
import { redactRedisUrl, redactSecrets, urlPassword } from './redis-url.js';

/** The logging calls a Redis connection makes (a pino or fastify logger fits). */
export interface RedisLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

/** How to reach Redis. */
export interface RedisConnectionOptions {
  /** `REDIS_URL`: `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). A secret: never logged as is. */
  url: string;
  /** `REDIS_PASSWORD`, used when the URL has none; null when unset. A secret. */
  password: string | null;
  /** Longest wait for any one command's reply, in ms (ioredis `commandTimeout`). Default 5000. */
  commandTimeoutMs?: number;
  /** Longest wait for the first connection at start, in ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Names the connection in logs and in Redis `CLIENT LIST` (e.g. `commands`, `subscriber`). */
  name: string;
  logger: RedisLogger;
}

/** Raised when Redis cannot be reached or refuses the credentials at start; the message never holds a secret. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/**
 * Opens one ioredis connection and waits until it is ready: every command then has a timeout (`commandTimeoutMs`),
 * a command waits in the offline queue during a reconnect for one retry at most (`maxRetriesPerRequest: 1`), and
 * reconnects back off up to 2 s. Connection errors are logged once per outage (and the recovery once), with
 * the URL's password and `REDIS_PASSWORD` redacted.
 * @throws RedisUnavailableError when the server is not ready within `connectTimeoutMs` (unreachable, refused
 *   credentials), naming the redacted URL and the cause.
 */
export async function connectRedis(options: RedisConnectionOptions): Promise<Redis> {
  const secrets = [options.password, urlPassword(options.url)];
  const where = redactRedisUrl(options.url);
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const client = new Redis(options.url, {
    ...(options.password && !urlPassword(options.url) ? { password: options.password } : {}),
    lazyConnect: true,
    connectionName: `gateway-${options.name}`,
    commandTimeout: options.commandTimeoutMs ?? 5000,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  });
  let lastError: string | null = null;
  // Quiet until the first ready: a failed start is reported once, by the error thrown.
  let down = true;
  client.on('error', (error: Error) => {
    lastError = redactSecrets(error.message, secrets);
    if (down) return;
    down = true;
    options.logger.warn(`redis (${options.name}) at ${where}: ${lastError}; reconnecting`);
  });
  client.on('ready', () => {
    if (down && lastError !== null) options.logger.info(`redis (${options.name}) at ${where} is reachable again`);
    down = false;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), connectTimeoutMs);
      }),
    ]);
    down = false;
    lastError = null;
    return client;
  } catch (error) {
    client.disconnect();
    const cause = lastError ?? redactSecrets((error as Error).message, secrets);
    throw new RedisUnavailableError(`Redis at ${where} did not accept the connection within ${connectTimeoutMs} ms: ${cause}`);
  } finally {
    clearTimeout(timer);
  }
}
