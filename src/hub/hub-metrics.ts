import { Counter, Gauge, type Registry } from 'prom-client';
import { HUB_STATES, type HubState } from './hub-state.js';

/**
 * Registers the hub's metrics on `registry`: `gateway_hub_consumer_state{state}` (1 for the current state, read at
 * scrape time) and `gateway_hub_probes_total{result="ok"|"failed"}`.
 * @returns the probe counter: call it with each readiness probe's outcome.
 */
export function registerHubMetrics(registry: Registry, hubState: () => HubState): (ok: boolean) => void {
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
  return (result) => (result ? ok.inc() : failed.inc());
}
