import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | undefined;

/**
 * Adds prom-client's default process metrics (`process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`,
 * `nodejs_eventloop_lag_seconds`, CPU, GC, handles, ...) to `registry`. They are collected once per process, into a
 * registry of their own, and their metric objects are shared with every app registry: each `collectDefaultMetrics`
 * call starts an event-loop-delay monitor and a GC observer that are never stopped, so one per app would pile up
 * in a process that builds many apps (the tests). Call it once per registry.
 * @throws Error when `registry` already holds a metric of the same name (called twice on it).
 */
export function addProcessMetrics(registry: Registry): void {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  for (const { name } of shared.getMetricsAsArray()) {
    const metric = shared.getSingleMetric(name);
    if (metric) registry.registerMetric(metric);
  }
}
