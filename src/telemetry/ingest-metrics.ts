import { Counter, type Registry } from 'prom-client';
import type { PipelineCount } from './ingest-pipeline.js';

/**
 * Registers the ingest pipeline's counters on `registry` (one registry per app, so tests can build many apps):
 * `gateway_events_received_total`, `gateway_events_stored_total`,
 * `gateway_events_dropped_total{reason="not_watched"|"no_device_id"}`, `gateway_events_non_telemetry_total`,
 * `gateway_hub_events_total` (connection state, twin change and lifecycle events of watched devices, kept),
 * `gateway_decode_errors_total`.
 * @returns the pipeline's counter function: adds `n` (default 1) to one counter.
 */
export function registerIngestMetrics(registry: Registry): (what: PipelineCount, n?: number) => void {
  const registers = [registry];
  const received = new Counter({ name: 'gateway_events_received_total', help: 'Events read from the hub', registers });
  const stored = new Counter({ name: 'gateway_events_stored_total', help: 'Telemetry messages stored (deduplicated)', registers });
  const dropped = new Counter({
    name: 'gateway_events_dropped_total', help: 'Events dropped, by reason', labelNames: ['reason'] as const, registers,
  });
  const nonTelemetry = new Counter({
    name: 'gateway_events_non_telemetry_total', help: 'Events whose iothub-message-source is not Telemetry', registers,
  });
  const hubEvents = new Counter({
    name: 'gateway_hub_events_total', help: 'Connection state, twin change and lifecycle events of watched devices, kept', registers,
  });
  const decodeErrors = new Counter({
    name: 'gateway_decode_errors_total', help: 'Bodies that did not decode: broken JSON, empty, failed inflate, CBOR or Protobuf', registers,
  });
  const notWatched = dropped.labels('not_watched');
  const noDeviceId = dropped.labels('no_device_id');
  notWatched.inc(0);
  noDeviceId.inc(0);
  return (what, n = 1) => {
    switch (what) {
      case 'received': return received.inc(n);
      case 'stored': return stored.inc(n);
      case 'not_watched': return notWatched.inc(n);
      case 'no_device_id': return noDeviceId.inc(n);
      case 'non_telemetry': return nonTelemetry.inc(n);
      case 'hub_event': return hubEvents.inc(n);
      case 'decode_error': return decodeErrors.inc(n);
    }
  };
}
