import { Counter, Gauge, type Registry } from 'prom-client';
import { HUB_STATES, type HubState } from './hub-state.js';
import type { CheckpointAhead, RetentionGap } from './retention-gap.js';

/** The hub's counters, as {@link registerHubMetrics} returns them. */
export interface HubCounters {
  /** Counts a readiness probe's outcome. */
  probe(ok: boolean): void;
  /** Counts the events a retention gap lost. */
  retentionGap(gap: RetentionGap): void;
  /** Counts a checkpoint found ahead of its partition's log. */
  checkpointAhead(ahead: CheckpointAhead): void;
}

/**
 * Registers the hub's metrics on `registry`: `gateway_hub_consumer_state{state}` (1 for the current state, read at
 * scrape time), `gateway_hub_probes_total{result="ok"|"failed"}` and `gateway_hub_retention_gap_events_total{partition}`
 * (events lost because reading resumed from a checkpoint older than the hub's retention; one label per partition).
 */
export function registerHubMetrics(registry: Registry, hubState: () => HubState): HubCounters {
  const registers = [registry];
  new Gauge({
    name: 'gateway_hub_consumer_state', help: 'Hub consumer state (1 = current)', labelNames: ['state'] as const, registers,
    collect() {
      const current = hubState();
      for (const state of HUB_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  const probes = new Counter({
    name: 'gateway_hub_probes_total', help: 'Hub readiness probes (getPartitionProperties of every partition), by result',
    labelNames: ['result'] as const, registers,
  });
  const ok = probes.labels('ok');
  const failed = probes.labels('failed');
  ok.inc(0);
  failed.inc(0);
  const gaps = new Counter({
    name: 'gateway_hub_retention_gap_events_total',
    help: "Events lost because reading resumed from a checkpoint older than the hub's retention, by partition",
    labelNames: ['partition'] as const, registers,
  });
  const aheads = new Counter({
    name: 'gateway_hub_checkpoint_ahead_total',
    help: "Partition starts whose checkpoint was past the partition's last event (the hub's log is not the checkpoints' one), by partition",
    labelNames: ['partition'] as const, registers,
  });
  return {
    probe: (result) => (result ? ok.inc() : failed.inc()),
    checkpointAhead: (ahead) => aheads.labels(ahead.partitionId).inc(),
    retentionGap: (gap) => gaps.labels(gap.partitionId).inc(gap.lostEvents),
  };
}
