/**
 * In-process reading of the gateway's ingest counters for the bench probe: the runner polls the gateway's rate 10×/s,
 * and a full `/metrics` scrape each time is CPU the bare SDK counter (polled over IPC) never pays. The gateway keeps
 * its metrics on its own prom-client `Registry`; this wraps `Registry.prototype.registerMetric` of the same
 * prom-client module instance the gateway loads, before the gateway starts, to remember the two counters by name.
 */
import { Registry, type Metric } from 'prom-client';

/** The counters read, by metric name (the last registered wins: one app per gateway process). */
const counters = new Map<string, Metric>();
const NAMES = ['gateway_events_received_total', 'gateway_events_stored_total'];

/** Starts remembering the ingest counters as the gateway registers them. Idempotent. */
export function watchGatewayCounters(): void {
  const proto = Registry.prototype as Registry & { benchWatched?: true };
  if (proto.benchWatched) return;
  proto.benchWatched = true;
  const { registerMetric: register } = Registry.prototype as { registerMetric: (this: Registry, metric: Metric) => void };
  proto.registerMetric = function registerMetric(this: Registry, metric: Metric) {
    const { name } = metric as unknown as { name: string };
    if (NAMES.includes(name)) counters.set(name, metric);
    return register.call(this, metric);
  };
}

async function valueOf(name: string): Promise<number> {
  const metric = counters.get(name);
  if (!metric) throw new Error(`${name} was not registered through the probe's prom-client (another module instance?)`);
  const { values } = await metric.get();
  return values[0]?.value ?? 0;
}

/** `gateway_events_received_total` and `gateway_events_stored_total`, read in-process (same values as `/metrics`). */
export async function probeCounts(): Promise<{ received: number; stored: number }> {
  return { received: await valueOf(NAMES[0]!), stored: await valueOf(NAMES[1]!) };
}
