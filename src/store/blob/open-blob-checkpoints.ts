import type { Clock } from '../../config/clock.js';
import type { TelemetryStore } from '../telemetry-store.js';
import { BlobCheckpointedStore } from './blob-checkpointed-store.js';
import { BlobGatewayCheckpointStore } from './blob-checkpoint-store.js';
import { BlobContainer } from './blob-container.js';

/** Longest wait for one Blob call, in ms (default of {@link BlobCheckpointsOptions.timeoutMs}). */
export const BLOB_CALL_TIMEOUT_MS = 10_000;

/** What {@link withBlobCheckpoints} needs. */
export interface BlobCheckpointsOptions {
  /** `AZURE_STORAGE_CONNECTION_STRING` (a secret: never logged). */
  connectionString: string;
  /** `CHECKPOINT_CONTAINER`. */
  container: string;
  clock: Clock;
  logger: { info(msg: string): void; warn(msg: string): void };
  /** Longest wait for one Blob call, in ms (default 10,000). */
  timeoutMs?: number;
}

/**
 * `engine` with its checkpoints in Blob storage (see `BlobCheckpointedStore`, `BlobGatewayCheckpointStore`). The
 * container is created here when missing; when that fails (storage unreachable, refused credentials) a warning is
 * logged and the gateway starts anyway: the hub consumer's first checkpoint call fails the same way and shows it in
 * `/readyz`, and every call tries again.
 * @throws ConfigError when the SDK refuses the connection string (the engine is closed first).
 */
export async function withBlobCheckpoints(engine: TelemetryStore, o: BlobCheckpointsOptions): Promise<TelemetryStore> {
  let container: BlobContainer;
  try {
    container = new BlobContainer(o.connectionString, o.container, { clock: o.clock, timeoutMs: o.timeoutMs ?? BLOB_CALL_TIMEOUT_MS });
  } catch (error) {
    await engine.close();
    throw error;
  }
  const where = `Blob container ${o.container} of storage account ${container.client.accountName}`;
  try {
    await container.ensure();
    o.logger.info(`checkpoint store: ${where}`);
  } catch (error) {
    o.logger.warn(`${(error as Error).message}; the hub consumer reports it, and every checkpoint call tries again`);
  }
  return new BlobCheckpointedStore(engine, new BlobGatewayCheckpointStore(container));
}
