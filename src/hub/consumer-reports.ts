import type { EventHubConsumerClient } from '@azure/event-hubs';
import type { Clock, ClockTimer } from '../config/clock.js';
import { describeHubError } from './describe-hub-error.js';
import type { HubLogger } from './hub-consumer-options.js';
import type { HubHealth } from './hub-health.js';
import { startHubProbe, type ProbeResult } from './hub-probe.js';
import type { PartitionProgress } from './partition-progress.js';
import type { PartitionWatch } from './partition-watch.js';

/** What the consumer's reports act on. */
export interface ReportTargets {
  health: HubHealth;
  progress: PartitionProgress;
  watch: PartitionWatch;
  logger: HubLogger;
  onProbe?(ok: boolean): void;
  /** Publishes the health's state. */
  update(): void;
}

/**
 * A readiness probe's outcome: metrics, the ownership read, the partitions' last enqueued sequence numbers (stall
 * detection) and the probe's problem, if any (`readiness probe failed: <reason>`).
 */
export function reportProbe(t: ReportTargets, result: ProbeResult): void {
  t.onProbe?.(result.ok);
  void t.watch.readOwnership();
  if (result.ok) {
    t.watch.properties(result.partitions);
    t.health.probe(null);
    for (const p of result.partitions) t.progress.enqueued(p.partitionId, p.lastEnqueuedSequenceNumber);
  } else {
    const { reason, kind } = describeHubError(result.error);
    t.health.probe({ kind, detail: `readiness probe failed: ${reason}` });
  }
  t.update();
}

/** A failed read of the partitions' positions at open: logged (an authorization failure at error level), hub-wide error. */
export function reportPlanError(t: ReportTargets, error: unknown): void {
  const { reason, unauthorized, kind } = describeHubError(error);
  if (unauthorized) t.logger.error(`hub consumer ${reason}`);
  else t.logger.warn(`hub consumer cannot read the partitions' positions: ${reason}`);
  t.health.error('', { kind, detail: reason });
  t.update();
}

/** Starts the readiness probe of `client`'s partitions every `intervalMs` ms on `clock` (timeout half of it). */
export function startReadinessProbe(t: ReportTargets, client: EventHubConsumerClient, partitionIds: string[], clock: Clock, intervalMs: number): ClockTimer {
  return startHubProbe({
    clock, intervalMs, timeoutMs: intervalMs / 2, partitionIds,
    read: (partitionId, abortSignal) => client.getPartitionProperties(partitionId, { abortSignal }),
    onResult: (result) => reportProbe(t, result),
  });
}
