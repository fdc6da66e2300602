/**
 * A batch the store did not take (a failed `TelemetryStore.append`): thrown from `processEvents`, so the SDK stops
 * the partition's pump (not retryable) and, once its ownership is released, the load balancer restarts it from the
 * last checkpoint, which was not moved past the batch: nothing is skipped (SDK `partitionPump.js`).
 */
export class BatchNotStoredError extends Error {
  override name = 'BatchNotStoredError';
  /** Not retryable for the SDK: the pump must restart from the checkpoint, not read on. */
  readonly retryable = false;

  /** @param first,last the batch's first and last sequence numbers. */
  constructor(partitionId: string, first: number, last: number, cause: unknown) {
    super(`the store did not take the batch of partition ${partitionId} (sequence numbers ${first} to ${last}): ${(cause as Error)?.message ?? String(cause)}; the partition restarts from its checkpoint`, { cause });
  }
}
