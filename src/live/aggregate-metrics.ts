import { Counter, Gauge, type Registry } from 'prom-client';
import type { LiveAggregates } from './live-aggregates.js';

/**
 * Registers `gateway_aggregate_late_dropped_total` (messages dropped because their live bucket had closed, past
 * `AGGREGATE_GRACE`) and `gateway_live_aggregators` (shared live aggregators open, per device and spec).
 */
export function registerAggregateMetrics(registry: Registry, aggregates: LiveAggregates): void {
  const registers = [registry];
  let reported = 0;
  new Counter({
    name: 'gateway_aggregate_late_dropped_total', help: 'Messages dropped from live aggregates because their bucket had closed', registers,
    collect() {
      this.inc(aggregates.lateDropped - reported);
      reported = aggregates.lateDropped;
    },
  });
  new Gauge({
    name: 'gateway_live_aggregators', help: 'Shared live aggregators open (one per device and aggregate spec)', registers,
    collect() {
      this.set(aggregates.size);
    },
  });
}
