import type { TelemetryMessage } from './telemetry-message.js';

/**
 * A batch whose messages were stored but whose checkpoint was not written (a checkpoint store apart from the
 * telemetry store, e.g. Blob storage): the messages are live (they reach subscribers), and the partition still
 * restarts from its older checkpoint, where the store's dedupe keeps each message once.
 */
export class CheckpointNotWrittenError extends Error {
  override name = 'CheckpointNotWrittenError';

  /** @param stored what the telemetry store took; `cause` is the checkpoint store's error. */
  constructor(readonly stored: TelemetryMessage[], cause: unknown) {
    super(`checkpoint not written: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
