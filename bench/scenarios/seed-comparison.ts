import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceIds } from '../lib/bench-devices.js';
import { measureRate } from '../lib/measure-rate.js';
import { cpuRatioOf, fmt, plural, ratioOf, saturatedOf, type ResultRow } from '../lib/results.js';
import { CONSUMER_GROUPS_STANDARD_TIER, READERS_PER_PARTITION_AND_GROUP } from '../lib/iot-hub-limits.js';
import type { SeedCount } from '../seed-design.js';
import { startEmulatorChild } from './emulator-child.js';
import { cpuWindows } from '../lib/cpu-windows.js';
import { eventsPerDevice, gatewayIngestRun, GATEWAY_MAX_BATCH_SIZE } from './ingest-runs.js';

/** What a real IoT Hub says to the one-client-per-device design at `n` devices (5 readers per partition and group, 20 groups). */
function iotHubLimitNote(n: number): string {
  if (n <= READERS_PER_PARTITION_AND_GROUP) return `fits a real IoT Hub: ${n} of the 5 readers per partition of $Default`;
  if (n <= CONSUMER_GROUPS_STANDARD_TIER) return `needs ${n} consumer groups (a standard-tier IoT Hub allows ${CONSUMER_GROUPS_STANDARD_TIER})`;
  return `impossible on a real IoT Hub: needs ${n} consumer groups, ${CONSUMER_GROUPS_STANDARD_TIER} allowed on standard tiers`;
}

/**
 * Scenario 2, "seed design": one SDK client per registered device, each filtering the whole stream
 * (seed-design.ts), at 1, 5, 10 and 50 devices, against the gateway at the same device counts on the same preloaded
 * emulator. Figure: events/s of the stream, i.e. for the baseline the time until every client has read all events.
 */
export async function seedScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const { seedEvents: events, spreadDevices: spread } = ctx.sizes;
  const emulator = await startEmulatorChild(ctx, { events, deviceCount: spread });
  const { connectionString } = emulator.info as EmulatorInfo;
  const rows: ResultRow[] = [];
  try {
    for (const n of ctx.sizes.seedDevices) {
      ctx.log(`seed design: ${plural(n, 'device')}`);
      const deviceIds = benchDeviceIds(n);
      const expectedStored = deviceIds.reduce((sum, _, i) => sum + eventsPerDevice(i, events, spread), 0);
      const seed = await BenchChild.start({ name: `seed-design-${n}`, script: 'bench/seed-design.ts', logDir: ctx.logDir });
      let seedRate;
      let seedProcesses;
      let connections = 0;
      let groups = 0;
      try {
        await seed.request('start', { connectionString, deviceIds, maxBatchSize: GATEWAY_MAX_BATCH_SIZE });
        let windows: ReturnType<typeof cpuWindows> | undefined;
        seedRate = await measureRate(async () => {
          const c = await seed.request<SeedCount>('count');
          groups = c.consumerGroups;
          return Math.floor(c.delivered / n);
        }, {
          expected: events, timeoutMs: 600_000,
          onStart: () => (windows = cpuWindows([[seed, 'baseline'], [emulator, 'emulator']])),
        });
        seedProcesses = windows?.() ?? [];
        connections = (await emulator.request<{ connections: number }>('stats')).connections;
        const final = await seed.request<SeedCount>('count');
        if (seedRate.timedOut) throw new Error(`seed design read ${final.delivered} of ${n * events} events`);
        if (final.matched !== expectedStored) throw new Error(`seed design kept ${final.matched} messages, expected ${expectedStored}`);
      } finally {
        await seed.stop();
      }
      const gateway = await gatewayIngestRun(ctx, emulator, {
        name: `gateway-seed-${n}`, deviceIds, events, expectedStored, consumerGroup: `bench-seed-gateway-${n}`,
      });
      const perCpu = cpuRatioOf(gateway.rate.perS, gateway.processes, seedRate.perS, seedProcesses, 'events');
      rows.push({
        scenario: 'seed design',
        config: `${plural(n, 'device')}, ${fmt(events)} events`,
        gateway: `${fmt(gateway.rate.perS)} events/s (1 client)`,
        baseline: `${fmt(seedRate.perS)} events/s (${plural(n, 'client')}, ${plural(groups, 'consumer group')}, ${plural(connections, 'AMQP connection')})`,
        gatewayValue: gateway.rate.perS,
        baselineValue: seedRate.perS,
        unit: 'events/s',
        ratio: ratioOf(gateway.rate.perS, seedRate.perS),
        cpuRatio: perCpu.cpuRatio,
        notes: [iotHubLimitNote(n), perCpu.note],
        saturated: [...saturatedOf(gateway.processes), ...saturatedOf(seedProcesses, 'seed: ')],
        processes: { gateway: gateway.processes, baseline: seedProcesses },
        details: { gateway: gateway.rate, seed: seedRate, consumerGroups: groups, seedConnections: connections, expectedStored },
      });
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}
