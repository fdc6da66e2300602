import type { PartitionProperties } from '@azure/event-hubs';
import type { Clock, ClockTimer } from '../config/clock.js';

/** A probe's outcome: every partition's properties, or why it failed. */
export type ProbeResult = { ok: true; partitions: PartitionProperties[] } | { ok: false; error: unknown };

/** Options of {@link startHubProbe}. */
export interface HubProbeOptions {
  clock: Clock;
  /** Period in ms. */
  intervalMs: number;
  /** A probe not answered within this many ms fails (keep it below `intervalMs`). */
  timeoutMs: number;
  partitionIds: readonly string[];
  /** One management call (`getPartitionProperties`), cancelled through `abortSignal` on timeout. */
  read(partitionId: string, abortSignal: AbortSignal): Promise<PartitionProperties>;
  onResult(result: ProbeResult): void;
}

/** The error a probe or a start plan fails with when the hub does not answer in time. */
export class HubTimeoutError extends Error {
  override readonly name = 'HubTimeoutError';
  constructor(timeoutMs: number) {
    super(`no answer from the hub within ${timeoutMs} ms`);
  }
}

/**
 * Reads every partition's properties each `intervalMs` ms on `clock` and reports the outcome; a probe unanswered
 * after `timeoutMs` ms is reported failed at once and its calls aborted. At most one probe is in flight: a tick that
 * finds the previous one unsettled is skipped. @returns a timer that stops the probe.
 */
export function startHubProbe(o: HubProbeOptions): ClockTimer {
  let inFlight = false;
  let stopped = false;
  let controller: AbortController | null = null;
  const tick = () => {
    if (inFlight || stopped) return;
    inFlight = true;
    const abort = (controller = new AbortController());
    let reported = false;
    const report = (result: ProbeResult) => {
      if (reported || stopped) return;
      reported = true;
      o.onResult(result);
    };
    const timeout = o.clock.setTimeout(() => {
      const error = new HubTimeoutError(o.timeoutMs);
      report({ ok: false, error });
      abort.abort(error);
    }, o.timeoutMs);
    Promise.all(o.partitionIds.map((id) => o.read(id, abort.signal))).then(
      (partitions) => report({ ok: true, partitions }),
      (error: unknown) => {
        report({ ok: false, error });
        abort.abort(error);
      },
    ).finally(() => {
      timeout.cancel();
      inFlight = false;
    });
  };
  const interval = o.clock.setInterval(tick, o.intervalMs);
  return {
    cancel: () => {
      stopped = true;
      interval.cancel();
      controller?.abort(new Error('probe stopped'));
    },
  };
}
