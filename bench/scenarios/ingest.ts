import { benchDeviceIds } from '../lib/bench-devices.js';
import type { BenchContext } from '../lib/bench-context.js';
import { cpuRatioOf, fmt, ratioOf, saturatedOf, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';
import { bareCounterRun, eventsPerDevice, gatewayIngestRun, GATEWAY_MAX_BATCH_SIZE, type IngestRun } from './ingest-runs.js';

/** The run with the highest rate. */
function best(runs: IngestRun[]): IngestRun {
  return runs.reduce((a, b) => (b.rate.perS > a.rate.perS ? b : a));
}

/**
 * Scenario 1, "ingest": events/s from the emulator into the gateway's latest-message cache with 1, 100,
 * 1,000 and 10,000 registered devices (events spread over 10,000 device IDs, ~200-byte JSON bodies, 4 partitions,
 * preloaded, read from `earliest`), against the bare SDK counter on the same emulator in the same run. The order of
 * the two sides alternates so that drift in machine load does not favour one side; each side's figure is the best of
 * `ingestRepeats` runs (what the code can do, less what other work on the machine took). The gateway runs on the
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
      const gatewayRuns: IngestRun[] = [];
      const bareRuns: IngestRun[] = [];
      for (let r = 0; r < ctx.sizes.ingestRepeats; r++) {
        if ((k + r) % 2 === 0) {
          gatewayRuns.push(await runGateway());
          bareRuns.push(await runBare());
        } else {
          bareRuns.push(await runBare());
          gatewayRuns.push(await runGateway());
        }
      }
      const gateway = best(gatewayRuns);
      const bare = best(bareRuns);
      const perCpu = cpuRatioOf(gateway.rate.perS, gateway.processes, bare.rate.perS, bare.processes, 'events');
      rows.push({
        scenario: 'ingest',
        config: `${fmt(n)} registered, ${fmt(events)} events over ${fmt(spread)} devices`,
        gateway: `${fmt(gateway.rate.perS)} events/s`,
        baseline: `${fmt(bare.rate.perS)} events/s (bare SDK counter)`,
        gatewayValue: gateway.rate.perS,
        baselineValue: bare.rate.perS,
        unit: 'events/s',
        ratio: ratioOf(gateway.rate.perS, bare.rate.perS),
        cpuRatio: perCpu.cpuRatio,
        notes: [
          `target ≥ 0.9`,
          `stored ${fmt(expectedStored)} (exact)`,
          perCpu.note,
          `maxBatchSize ${GATEWAY_MAX_BATCH_SIZE} both`,
          ...(ctx.sizes.ingestRepeats > 1 ? [`best of ${ctx.sizes.ingestRepeats} interleaved runs each`] : []),
        ],
        saturated: [...saturatedOf(gateway.processes), ...saturatedOf(bare.processes, 'bare: ')],
        processes: { gateway: gateway.processes, baseline: bare.processes },
        details: { gateway: gatewayRuns.map((g) => g.rate), bare: bareRuns.map((b) => b.rate), registered: n, events, expectedStored },
      });
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}
