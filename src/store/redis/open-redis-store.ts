import { randomUUID } from 'node:crypto';
import type { Checkpoint } from '@azure/event-hubs';
import type { Clock } from '../../config/clock.js';
import { connectRedis, type RedisLogger } from './redis-connection.js';
import { RedisCheckpointStore } from './redis-checkpoint-store.js';
import { DEFAULT_KEY_PREFIX, RedisKeys } from './redis-keys.js';
import { RedisRegistrationStore } from './redis-registration-store.js';
import { ADOPT_REGISTRATIONS_LUA } from './registration-scripts.js';
import { defineStoreScripts } from './redis-scripts.js';
import { RedisSubscriber } from './redis-subscriber.js';
import { RedisTelemetryStore } from './redis-telemetry-store.js';

/** Remote messages waiting for the live streams, at most (about 10 s of a busy hub for one instance). */
const REMOTE_CAPACITY = 10_000;

/** What {@link openRedisStore} needs. */
export interface RedisStoreOptions {
  /** `REDIS_URL` (a secret). */
  url: string;
  /** `REDIS_PASSWORD`, or null (a secret). */
  password: string | null;
  /** `HISTORY_LIMIT`, ≥ 1. */
  historyLimit: number;
  clock: Clock;
  logger: RedisLogger;
  /** Prefix of every key and channel (default `gw:`). */
  keyPrefix?: string;
  /**
   * `<namespace host>/<event hub>` whose registrations the store keeps (default none in particular); the first hub
   * opened takes over the registrations of no hub (earlier versions), see {@link ADOPT_REGISTRATIONS_LUA}.
   */
  hub?: string | null;
  /** Longest wait for any command, in ms (default 5000). */
  commandTimeoutMs?: number;
  /** Longest wait for each connection at start, in ms (default 5000). */
  connectTimeoutMs?: number;
  /** Remote messages waiting for the consumer, at most (default 10,000). */
  remoteCapacity?: number;
}

/**
 * Opens the Redis engine: a command connection and a subscriber connection (both ready, see `connectRedis`), the
 * scripts, and the telemetry, checkpoint and registration stores over them, subscribed to the telemetry and
 * registrations channels. Each call is one gateway instance (its own random instance ID).
 * @throws RedisUnavailableError when Redis cannot be reached or refuses the credentials (nothing stays open).
 */
export async function openRedisStore(options: RedisStoreOptions): Promise<RedisTelemetryStore> {
  const connection = { url: options.url, password: options.password, logger: options.logger, commandTimeoutMs: options.commandTimeoutMs, connectTimeoutMs: options.connectTimeoutMs };
  const client = await connectRedis({ ...connection, name: 'commands' });
  let subscriber: RedisSubscriber;
  try {
    subscriber = new RedisSubscriber(await connectRedis({ ...connection, name: 'subscriber' }), (channel, error) =>
      options.logger.warn(`redis: ignored a message on ${channel} that is not what the channel carries: ${(error as Error).message}`));
  } catch (error) {
    client.disconnect();
    throw error;
  }
  const keys = new RedisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX, options.hub ?? null);
  if (keys.hub !== null) {
    try {
      await client.eval(ADOPT_REGISTRATIONS_LUA, 6, ...keys.unscopedRegistrationKeys, ...keys.hubRegistrationKeys);
    } catch (error) {
      client.disconnect();
      subscriber.close();
      throw error;
    }
  }
  const scripts = defineStoreScripts(client);
  const instanceId = randomUUID();
  const registrations = new RedisRegistrationStore(client, scripts, keys, instanceId);
  // Called only after `telemetry` exists (the consumer writes checkpoints once the store is open).
  const appendCheckpoints = (checkpoints: readonly Checkpoint[]): Promise<unknown> => telemetry.append([], checkpoints);
  const checkpointStore = new RedisCheckpointStore(client, scripts, keys, options.clock, appendCheckpoints);
  const telemetry = new RedisTelemetryStore({
    client, scripts, keys, historyLimit: options.historyLimit, instanceId, checkpointStore, registrations,
    remoteCapacity: options.remoteCapacity ?? REMOTE_CAPACITY,
    onRemoteDrop: (dropped, total) =>
      options.logger.warn(`redis: dropped ${dropped} messages of other instances (${total} in all): the live streams lag; clients resume from the history`),
    closeConnections: async () => {
      registrations.close();
      subscriber.close();
      // QUIT lets the replies in flight arrive; without a connection there is nothing to wait for.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  });
  try {
    await subscriber.subscribe(keys.telemetryChannel, (payload) => telemetry.receive(payload));
    await subscriber.subscribe(keys.registrationChannel, (payload) => registrations.receive(payload));
  } catch (error) {
    await telemetry.close();
    throw error;
  }
  return telemetry;
}
