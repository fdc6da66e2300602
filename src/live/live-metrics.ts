import { Gauge, type Registry } from 'prom-client';

/** What the live gauges read at scrape time. */
export interface LiveMetricSources {
  /** Open `/api/ws` connections still waiting for `auth`, and authenticated ones. */
  connections(): { pendingAuth: number; authenticated: number };
  /** The largest number of messages any open connection's send queue has held. */
  queuePeak(): number;
}

/**
 * Registers the WebSocket gauges on `registry`: `gateway_ws_connections{state="pending_auth"|"authenticated"}` and
 * `gateway_ws_send_queue_peak_messages` (over open connections; 0 when none).
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
}
