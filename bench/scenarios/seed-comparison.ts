import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceIds } from '../lib/bench-devices.js';
import { compareRuns, interleavedRuns } from '../lib/interleaved.js';
import { measureRate, type RateMeasurement } from '../lib/measure-rate.js';
import { fmt, plural, saturatedOf, type ProcessFigure, type ResultRow } from '../lib/results.js';
import { CONSUMER_GROUPS_STANDARD_TIER, READERS_PER_PARTITION_AND_GROUP } from '../lib/iot-hub-limits.js';
import type { SeedCount } from '../seed-design.js';
import { startEmulatorChild } from './emulator-child.js';
import { cpuWindows } from '../lib/cpu-windows.js';
import { eventsPerDevice, gatewayIngestRun, GATEWAY_MAX_BATCH_SIZE } from './ingest-runs.js';

/** One run of the one-client-per-device design. */
interface SeedRun {
  rate: RateMeasurement;
  processes: ProcessFigure[];
  connections: number;
  groups: number;
}

/** What a real IoT Hub says to the one-client-per-device design at `n` devices (5 readers per partition and group, 20 groups). */
function iotHubLimitNote(n: number): string {
  if (n <= READERS_PER_PARTITION_AND_GROUP) return `fits a real IoT Hub: ${n} of the 5 readers per partition of $Default`;
  if (n <= CONSUMER_GROUPS_STANDARD_TIER) return `needs ${n} consumer groups (a standard-tier IoT Hub allows ${CONSUMER_GROUPS_STANDARD_TIER})`;
  return `impossible on a real IoT Hub: needs ${n} consumer groups, ${CONSUMER_GROUPS_STANDARD_TIER} allowed on standard tiers`;
}

/**
 * One run of the one-client-per-device design over the preloaded emulator: events/s until every client read all
 * `events`. @throws Error when it times out or keeps a count other than `expectedStored`.
 */
async function seedRun(ctx: BenchContext, emulator: BenchChild, deviceIds: string[], events: number, expectedStored: number): Promise<SeedRun> {
  const { connectionString } = emulator.info as EmulatorInfo;
  const n = deviceIds.length;
  const seed = await BenchChild.start({ name: `seed-design-${n}`, script: 'bench/seed-design.ts', logDir: ctx.logDir });
  try {
    await seed.request('start', { connectionString, deviceIds, maxBatchSize: GATEWAY_MAX_BATCH_SIZE });
    let windows: ReturnType<typeof cpuWindows> | undefined;
    let groups = 0;
    const rate = await measureRate(async () => {
      const c = await seed.request<SeedCount>('count');
      groups = c.consumerGroups;
      return Math.floor(c.delivered / n);
    }, {
      expected: events, timeoutMs: 600_000,
      onStart: () => (windows = cpuWindows([[seed, 'baseline'], [emulator, 'emulator']])),
    });
    const processes = windows?.() ?? [];
    const connections = (await emulator.request<{ connections: number }>('stats')).connections;
    const final = await seed.request<SeedCount>('count');
    if (rate.timedOut) throw new Error(`seed design read ${final.delivered} of ${n * events} events`);
    if (final.matched !== expectedStored) throw new Error(`seed design kept ${final.matched} messages, expected ${expectedStored}`);
    return { rate, processes, connections, groups };
  } finally {
    await seed.stop();
  }
}

/**
 * Scenario 2, "seed design": one SDK client per registered device, each filtering the whole stream
 * (seed-design.ts), at 1, 5, 10 and 50 devices, against the gateway at the same device counts on the same preloaded
 * emulator. Figure: events/s of the stream, i.e. for the baseline the time until every client has read all events.
 * The sides alternate, `repeats` runs each (lib/interleaved.ts); the row reports the median ratio with its min and max.
 */
export async function seedScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const { seedEvents: events, spreadDevices: spread } = ctx.sizes;
  const emulator = await startEmulatorChild(ctx, { events, deviceCount: spread });
  const rows: ResultRow[] = [];
  try {
    for (const [k, n] of ctx.sizes.seedDevices.entries()) {
      ctx.log(`seed design: ${plural(n, 'device')}`);
      const deviceIds = benchDeviceIds(n);
      const expectedStored = deviceIds.reduce((sum, _, i) => sum + eventsPerDevice(i, events, spread), 0);
      const runs = await interleavedRuns(ctx.sizes.repeats, k,
        () => gatewayIngestRun(ctx, emulator, { name: `gateway-seed-${n}`, deviceIds, events, expectedStored, consumerGroup: `bench-seed-gateway-${n}` }),
        () => seedRun(ctx, emulator, deviceIds, events, expectedStored));
      const c = compareRuns(runs.gateway, runs.baseline, { gateway: (r) => r.rate.perS, baseline: (r) => r.rate.perS },
        { gateway: (r) => r.processes, baseline: (r) => r.processes }, 'events');
      const gateway = c.gatewayMedian;
      const seed = c.baselineMedian;
      rows.push({
        scenario: 'seed design',
        config: `${plural(n, 'device')}, ${fmt(events)} events`,
        gateway: `${fmt(gateway.rate.perS)} events/s (1 client)`,
        baseline: `${fmt(seed.rate.perS)} events/s (${plural(n, 'client')}, ${plural(seed.groups, 'consumer group')}, ${plural(seed.connections, 'AMQP connection')})`,
        gatewayValue: gateway.rate.perS,
        baselineValue: seed.rate.perS,
        unit: 'events/s',
        ratio: c.ratio,
        cpuRatio: c.cpuRatio,
        spread: c.spread,
        notes: [iotHubLimitNote(n), ...c.notes],
        saturated: [...saturatedOf(gateway.processes), ...saturatedOf(seed.processes, 'seed: ')],
        processes: { gateway: gateway.processes, baseline: seed.processes },
        details: { gateway: runs.gateway.map((r) => r.rate), seed: runs.baseline.map((r) => r.rate), consumerGroups: seed.groups, seedConnections: seed.connections, expectedStored },
      });
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}
