import { ContainerClient } from '@azure/storage-blob';
import { ConfigError } from '../../config/env-schema.js';
import { blobCall, type BlobCallOptions } from './blob-call.js';
import { redactStorageSecrets } from './storage-secrets.js';

/**
 * The checkpoint container: a `ContainerClient` (@azure/storage-blob 12.32.0) made from the storage connection
 * string (any form the SDK takes: account key, SAS, `UseDevelopmentStorage=true`), with at most 2 tries a request
 * (200 ms apart) so one call stays within its timeout; the container is created when missing, before the first
 * call, and tried again on the next call while creating it fails.
 */
export class BlobContainer {
  readonly client: ContainerClient;
  private created: Promise<void> | null = null;

  /**
   * @param calls the clock and timeout (ms) that bound every call, container creation included.
   * @throws ConfigError naming `AZURE_STORAGE_CONNECTION_STRING` (the SDK's reason, redacted) when the SDK refuses
   *   the connection string or the container name.
   */
  constructor(connectionString: string, readonly name: string, readonly calls: BlobCallOptions) {
    try {
      this.client = new ContainerClient(connectionString, name, {
        retryOptions: { maxTries: 2, tryTimeoutInMs: calls.timeoutMs, retryDelayInMs: 200, maxRetryDelayInMs: 200 },
      });
    } catch (error) {
      const reason = redactStorageSecrets((error as Error).message ?? String(error));
      throw new ConfigError(`Invalid configuration AZURE_STORAGE_CONNECTION_STRING: ${reason} (Azure portal → storage account → Access keys → Connection string)`);
    }
  }

  /** Creates the container unless it exists (once it succeeded, never again). @throws CheckpointStoreError. */
  ensure(): Promise<void> {
    this.created ??= blobCall(`creating container ${this.name}`, this.calls, (abortSignal) => this.client.createIfNotExists({ abortSignal })).then(
      () => undefined,
      (error: unknown) => {
        this.created = null;
        throw error;
      },
    );
    return this.created;
  }

  /**
   * One bounded call (see `blobCall`) once the container exists.
   * @throws CheckpointStoreError naming `what` and the container.
   */
  async call<T>(what: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    await this.ensure();
    return blobCall(`${what} in container ${this.name}`, this.calls, call);
  }
}
