import { Counter, Gauge, type Registry } from 'prom-client';
import type { HubState } from '../gateway-services.js';
import type { PipelineCount } from './pipeline.js';
import { addProcessMetrics } from './process-metrics.js';

const HUB_STATES: readonly HubState[] = ['closed', 'connecting', 'connected', 'error'];

/** What the gateway counts: the pipeline's counts and the outcome of each hub readiness probe. */
export type GatewayCount = PipelineCount | 'hub_probe_ok' | 'hub_probe_failed';

/** Live values the gauges read at scrape time. */
export interface MetricSources {
  hubState(): HubState;
  watchedDevices(): number;
}

/**
 * Registers the gateway's Prometheus metrics (prom-client) on `registry` (one registry per app instance, so tests can
 * build many apps) and returns the pipeline's counter function. Names: `gateway_events_received_total`,
 * `gateway_events_stored_total`, `gateway_events_dropped_total{reason="not_watched"|"no_device_id"}`,
 * `gateway_events_non_telemetry_total`, `gateway_decode_errors_total`, `gateway_hub_consumer_state{state}` (1 for the
 * current state), `gateway_watched_devices`, `gateway_hub_probes_total{result="ok"|"failed"}`, and prom-client's
 * process metrics (see `addProcessMetrics`).
 */
export function createGatewayMetrics(registry: Registry, sources: MetricSources): (what: GatewayCount) => void {
  addProcessMetrics(registry);
  const registers = [registry];
  const received = new Counter({ name: 'gateway_events_received_total', help: 'Events read from the hub', registers });
  const stored = new Counter({ name: 'gateway_events_stored_total', help: 'Telemetry messages stored (deduplicated)', registers });
  const dropped = new Counter({
    name: 'gateway_events_dropped_total', help: 'Events dropped, by reason', labelNames: ['reason'] as const, registers,
  });
  const nonTelemetry = new Counter({
    name: 'gateway_events_non_telemetry_total', help: 'Events whose iothub-message-source is not Telemetry', registers,
  });
  const decodeErrors = new Counter({
    name: 'gateway_decode_errors_total', help: 'Bodies that claimed or looked like JSON but did not parse', registers,
  });
  new Gauge({
    name: 'gateway_hub_consumer_state', help: 'Hub consumer state (1 = current)', labelNames: ['state'] as const, registers,
    collect() {
      const current = sources.hubState();
      for (const state of HUB_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gateway_watched_devices', help: 'Registered devices that are not inactive', registers,
    collect() {
      this.set(sources.watchedDevices());
    },
  });
  const probes = new Counter({
    name: 'gateway_hub_probes_total', help: 'Hub readiness probes (getPartitionProperties of every partition), by result',
    labelNames: ['result'] as const, registers,
  });
  const probeOk = probes.labels('ok');
  const probeFailed = probes.labels('failed');
  probeOk.inc(0);
  probeFailed.inc(0);
  const notWatched = dropped.labels('not_watched');
  const noDeviceId = dropped.labels('no_device_id');
  notWatched.inc(0);
  noDeviceId.inc(0);
  return (what) => {
    switch (what) {
      case 'received': return received.inc();
      case 'stored': return stored.inc();
      case 'not_watched': return notWatched.inc();
      case 'no_device_id': return noDeviceId.inc();
      case 'non_telemetry': return nonTelemetry.inc();
      case 'decode_error': return decodeErrors.inc();
      case 'hub_probe_ok': return probeOk.inc();
      case 'hub_probe_failed': return probeFailed.inc();
    }
  };
}
