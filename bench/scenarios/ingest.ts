import { benchDeviceIds } from '../lib/bench-devices.js';
import type { BenchContext } from '../lib/bench-context.js';
import { compareRuns, interleavedRuns } from '../lib/interleaved.js';
import { fmt, saturatedOf, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';
import { bareCounterRun, eventsPerDevice, gatewayIngestRun, GATEWAY_MAX_BATCH_SIZE } from './ingest-runs.js';

/**
 * Scenario 1, "ingest": events/s from the emulator into the gateway's latest-message cache with 1, 100,
 * 1,000 and 10,000 registered devices (events spread over 10,000 device IDs, ~200-byte JSON bodies, 4 partitions,
 * preloaded, read from `earliest`), against the bare SDK counter on the same emulator in the same run. The order of
 * the two sides alternates so that drift in machine load does not favour one side; the row reports the median of
 * `repeats` paired runs (lib/interleaved.ts), with its min and max. The gateway runs on the
 * memory store here (the embedded store's ingest is the `embedded` scenario).
 * Target: ratio ≥ 0.9.
 */
export async function ingestScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const { ingestEvents: events, spreadDevices: spread } = ctx.sizes;
  const emulator = await startEmulatorChild(ctx, { events, deviceCount: spread });
  const rows: ResultRow[] = [];
  try {
    for (const [k, n] of ctx.sizes.ingestDevices.entries()) {
      ctx.log(`ingest: ${fmt(n)} registered`);
      const deviceIds = benchDeviceIds(n);
      const expectedStored = deviceIds.reduce((sum, _, i) => sum + eventsPerDevice(i, events, spread), 0);
      const runGateway = () => gatewayIngestRun(ctx, emulator, { name: `gateway-ingest-${n}`, deviceIds, events, expectedStored, consumerGroup: `bench-ingest-gateway-${n}`, env: { STORE: 'memory' } });
      const runBare = () => bareCounterRun(ctx, emulator, { events, consumerGroup: `bench-ingest-bare-${n}` });
      const runs = await interleavedRuns(ctx.sizes.repeats, k, runGateway, runBare);
      const c = compareRuns(runs.gateway, runs.baseline, { gateway: (r) => r.rate.perS, baseline: (r) => r.rate.perS },
        { gateway: (r) => r.processes, baseline: (r) => r.processes }, 'events');
      const gateway = c.gatewayMedian;
      const bare = c.baselineMedian;
      rows.push({
        scenario: 'ingest',
        config: `${fmt(n)} registered, ${fmt(events)} events over ${fmt(spread)} devices`,
        gateway: `${fmt(gateway.rate.perS)} events/s`,
        baseline: `${fmt(bare.rate.perS)} events/s (bare SDK counter)`,
        gatewayValue: gateway.rate.perS,
        baselineValue: bare.rate.perS,
        unit: 'events/s',
        ratio: c.ratio,
        cpuRatio: c.cpuRatio,
        spread: c.spread,
        notes: [`target ≥ 0.9`, `stored ${fmt(expectedStored)} (exact)`, ...c.notes, `maxBatchSize ${GATEWAY_MAX_BATCH_SIZE} both`],
        saturated: [...saturatedOf(gateway.processes), ...saturatedOf(bare.processes, 'bare: ')],
        processes: { gateway: gateway.processes, baseline: bare.processes },
        details: { gateway: runs.gateway.map((g) => g.rate), bare: runs.baseline.map((b) => b.rate), registered: n, events, expectedStored },
      });
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}
