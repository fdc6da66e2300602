import type { Checkpoint } from '@azure/event-hubs';
import type { Observable } from 'rxjs';
import { CheckpointNotWrittenError } from '../../telemetry/checkpoint-not-written.js';
import type { TelemetryMessage } from '../../telemetry/telemetry-message.js';
import type { RegistrationStore } from '../registration-store.js';
import type { GatewayCheckpointStore, HistoryQuery, ResumeResult, TelemetryStore } from '../telemetry-store.js';

/**
 * A {@link TelemetryStore} whose telemetry and registrations are an engine's (`STORE`) and whose checkpoints are
 * another store's (Blob storage, `CHECKPOINT_STORE=blob`). `append` stores the messages first, then writes the
 * checkpoints: at least once. When the checkpoint write fails the append rejects with a `CheckpointNotWrittenError`
 * carrying what was stored (live clients still get it), the partition restarts from the older checkpoint, and the
 * engine's dedupe (by device, partition and sequence number) keeps each message once.
 */
export class BlobCheckpointedStore implements TelemetryStore {
  readonly registrations: RegistrationStore;
  readonly remote$: Observable<TelemetryMessage>;

  /** @param engine keeps the messages (its own checkpoint store is not used); closed by {@link close}. */
  constructor(private readonly engine: TelemetryStore, readonly checkpointStore: GatewayCheckpointStore) {
    this.registrations = engine.registrations;
    this.remote$ = engine.remote$;
  }

  async append(messages: readonly TelemetryMessage[], checkpoints: readonly Checkpoint[]): Promise<TelemetryMessage[]> {
    const stored = await this.engine.append(messages, []);
    try {
      for (const checkpoint of checkpoints) await this.checkpointStore.updateCheckpoint(checkpoint);
    } catch (error) {
      throw new CheckpointNotWrittenError(stored, error);
    }
    return stored;
  }

  latest(deviceId: string): Promise<TelemetryMessage | undefined> {
    return this.engine.latest(deviceId);
  }

  history(deviceId: string, query: HistoryQuery): Promise<TelemetryMessage[]> {
    return this.engine.history(deviceId, query);
  }

  after(deviceId: string, position: string): Promise<ResumeResult> {
    return this.engine.after(deviceId, position);
  }

  remove(deviceId: string): Promise<void> {
    return this.engine.remove(deviceId);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
