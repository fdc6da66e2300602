import type { Clock } from '../config/clock.js';
import { ConfigError } from '../config/env-schema.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { withBlobCheckpoints } from './blob/open-blob-checkpoints.js';
import { EmbeddedTelemetryStore } from './embedded/embedded-telemetry-store.js';
import { FileRegistrationStore } from './file-registration-store.js';
import { MemoryTelemetryStore } from './memory-telemetry-store.js';
import { openRedisStore } from './redis/open-redis-store.js';
import type { TelemetryStore } from './telemetry-store.js';

/** The logging calls opening a store makes (a pino or fastify logger fits). */
export interface StoreLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

/** What {@link openStore} needs. */
export interface OpenStoreOptions {
  config: Pick<GatewayConfig, 'store' | 'stateDir' | 'historyLimit' | 'redisUrl' | 'redisPassword'>
    & Partial<Pick<GatewayConfig, 'checkpointStore' | 'azureStorageConnectionString' | 'checkpointContainer'>>;
  clock: Clock;
  logger: StoreLogger;
  /**
   * `<namespace host>/<event hub>` of the hub read (no port, so the demo's emulator is one hub across its restarts):
   * registrations are kept per hub. Default none in particular (tests without a hub).
   */
  hub?: string | null;
  /**
   * The hub's log is new on every start (demo mode's embedded emulator): what a durable engine stored of an earlier
   * log (messages, dedupe state, checkpoints) is forgotten at open; registrations are kept.
   */
  hubLogIsNew?: boolean;
}

/** The memory engine: telemetry in this process only, registrations in `<stateDir>/registrations-<hub>.json`. */
async function openMemoryStore({ config, clock, logger, hub = null }: OpenStoreOptions): Promise<TelemetryStore> {
  let registrations: FileRegistrationStore;
  try {
    registrations = await FileRegistrationStore.open(config.stateDir, { hub });
  } catch (error) {
    logger.warn(`ignoring unreadable registrations in ${config.stateDir}: ${(error as Error).message}`);
    registrations = await FileRegistrationStore.open(config.stateDir, { ignoreFile: true, hub });
  }
  return new MemoryTelemetryStore(config.historyLimit, clock, registrations);
}

/**
 * The embedded engine: `<stateDir>/gateway.mdb`; a `registrations.json` there (memory engine, earlier versions) is
 * imported on the first open (an unreadable one is skipped with a warning, and tried again on the next open). With
 * `hubLogIsNew`, what was stored of an earlier log is forgotten.
 */
async function openEmbeddedStore({ config, clock, logger, hubLogIsNew, hub = null }: OpenStoreOptions): Promise<TelemetryStore> {
  logger.info(`embedded store: opening ${config.stateDir}/gateway.mdb`);
  const store = await EmbeddedTelemetryStore.open(config.stateDir, config.historyLimit, clock, {
    onLost: (error) => logger.warn(`embedded store: the lock of ${config.stateDir} was lost (${error.message}); another process may write there now`),
    hub,
  });
  const adopted = await store.registrations.adoptUnscoped(() => clock.now());
  if (adopted) logger.info(`embedded store: ${adopted} registrations of an earlier version now belong to ${hub}`);
  if (hubLogIsNew) await store.forgetLog();
  try {
    const imported = await store.registrations.importFileOnce(config.stateDir, () => clock.now());
    if (imported) logger.info(`embedded store: imported ${imported} registrations from ${config.stateDir}/registrations.json`);
  } catch (error) {
    logger.warn(`embedded store: not importing unreadable registrations in ${config.stateDir}: ${(error as Error).message}`);
  }
  return store;
}

/**
 * Opens the storage engine `STORE` names (see {@link TelemetryStore}); with `CHECKPOINT_STORE=blob` its checkpoints
 * and ownerships are in Blob storage instead (see `withBlobCheckpoints`), the engine keeps telemetry and registrations.
 * @throws ConfigError when the engine cannot be opened with this configuration; an engine's own error (a locked or
 *   unreadable database file, an unreachable Redis) otherwise.
 */
export async function openStore(options: OpenStoreOptions): Promise<TelemetryStore> {
  const engine = await openEngine(options);
  const { checkpointStore, azureStorageConnectionString, checkpointContainer } = options.config;
  if (checkpointStore !== 'blob') return engine;
  if (!azureStorageConnectionString) {
    await engine.close();
    throw new ConfigError('Invalid configuration AZURE_STORAGE_CONNECTION_STRING: required with CHECKPOINT_STORE=blob');
  }
  return withBlobCheckpoints(engine, {
    connectionString: azureStorageConnectionString, container: checkpointContainer ?? 'gateway-checkpoints', clock: options.clock, logger: options.logger,
  });
}

function openEngine(options: OpenStoreOptions): Promise<TelemetryStore> {
  switch (options.config.store) {
    case 'embedded':
      return openEmbeddedStore(options);
    case 'memory':
      return openMemoryStore(options);
    case 'redis': {
      const { config, clock, logger, hub } = options;
      if (!config.redisUrl) return Promise.reject(new ConfigError('Invalid configuration REDIS_URL: required with STORE=redis'));
      return openRedisStore({ url: config.redisUrl, password: config.redisPassword, historyLimit: config.historyLimit, clock, logger, hub });
    }
    default:
      return Promise.reject(new ConfigError(`Invalid configuration STORE: ${String(options.config.store as unknown)} is not an engine`));
  }
}
