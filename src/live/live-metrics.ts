import { Counter, Gauge, type Registry } from 'prom-client';
import { fieldSelectionRuns } from '../telemetry/field-selection.js';
import { batchCounts } from './frame-batch.js';

/** What the live gauges read at scrape time. */
export interface LiveMetricSources {
  /** Open `/api/ws` connections still waiting for `auth`, and authenticated ones. */
  connections(): { pendingAuth: number; authenticated: number };
  /** The largest number of messages any open connection's send queue has held. */
  queuePeak(): number;
}

/**
 * Registers the WebSocket gauges on `registry`: `gateway_ws_connections{state="pending_auth"|"authenticated"}` and
 * `gateway_ws_send_queue_peak_messages` (over open connections; 0 when none), and
 * `gateway_field_selections_total` (bodies reduced to a field selection, once per message and selection, process-wide),
 * `gateway_ws_batch_frames_total` and `gateway_ws_batched_messages_total` (JSON array frames sent to clients that opted
 * in, and the messages in them, since registration).
 */
export function registerLiveMetrics(registry: Registry, sources: LiveMetricSources): void {
  const registers = [registry];
  new Gauge({
    name: 'gateway_ws_connections', help: 'Open WebSocket connections, by state', labelNames: ['state'] as const, registers,
    collect() {
      const { pendingAuth, authenticated } = sources.connections();
      this.set({ state: 'pending_auth' }, pendingAuth);
      this.set({ state: 'authenticated' }, authenticated);
    },
  });
  new Gauge({
    name: 'gateway_ws_send_queue_peak_messages', help: 'Largest send queue (messages) of any open WebSocket connection', registers,
    collect() {
      this.set(sources.queuePeak());
    },
  });
  let counted = 0;
  new Counter({
    name: 'gateway_field_selections_total', help: 'Message bodies reduced to a field selection (once per message and selection)', registers,
    collect() {
      const runs = fieldSelectionRuns();
      this.inc(runs - counted);
      counted = runs;
    },
  });
  let { frames, messages: batched } = batchCounts(); // counted from now: earlier apps of the process are not ours
  new Counter({
    name: 'gateway_ws_batch_frames_total', help: 'WebSocket frames sent as a JSON array of several messages', registers,
    collect() {
      const now = batchCounts().frames;
      this.inc(now - frames);
      frames = now;
    },
  });
  new Counter({
    name: 'gateway_ws_batched_messages_total', help: 'Messages sent inside WebSocket array frames', registers,
    collect() {
      const now = batchCounts().messages;
      this.inc(now - batched);
      batched = now;
    },
  });
}
