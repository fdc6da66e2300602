import { Redis } from 'ioredis';
import { redisServerInstalled, startRedisServer } from '../../test/support/redis-server.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceIds } from '../lib/bench-devices.js';
import { eventually } from '../lib/eventually.js';
import type { GatewayProcess } from '../lib/gateway-process.js';
import { compareRuns, interleavedRuns } from '../lib/interleaved.js';
import { fmt, ratioOf, saturatedOf, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';
import { eventsPerDevice } from './ingest-runs.js';
import { devicesOn, engineGateway, ingestRate, liveRun, ownersOf, type Engine, type IngestRate, type LiveRun } from './redis-runs.js';

/** Sizes of this scenario (durations in MILLISECONDS). */
const SIZES = {
  full: { events: 40_000, spread: 10_000, registered: 1000, liveDevices: 100, ratePerS: 1000, warmupMs: 3000, measureMs: 8000 },
  quick: { events: 5000, spread: 1000, registered: 100, liveDevices: 100, ratePerS: 500, warmupMs: 1000, measureMs: 2000 },
};

const live = (run: LiveRun) => `p50 ${run.latency.p50} ms, p99 ${run.latency.p99} ms (${fmt(run.received)} received, ${run.dropped} dropped)`;

/**
 * Scenario "redis": the Redis engine against the memory store in the same run. Ingest: preloaded events read from
 * `earliest` by one gateway per engine (1,000 registered devices; `repeats` runs, alternating which engine goes
 * first; median ratio with its min and max, lib/interleaved.ts). Live fan-out latency (enqueued time → WebSocket receipt): the memory gateway's local
 * fan-out, against the cross-instance path of the Redis engine: instance B ingests (it owns half of the partitions
 * once A joined), a client on instance A gets the messages of B's devices through Redis pub/sub. A real
 * redis-server on a free port, no persistence.
 */
export async function redisScenario(ctx: BenchContext): Promise<ResultRow[]> {
  if (!redisServerInstalled) {
    ctx.log('redis: skipped, Debian\'s redis-server is not installed (apt-get install redis-server)');
    return [];
  }
  const sizes = ctx.quick ? SIZES.quick : SIZES.full;
  const { repeats } = ctx.sizes;
  const server = await startRedisServer();
  const redis = new Redis(server.url, { commandTimeout: 5000 });
  const emulator = await startEmulatorChild(ctx, { events: sizes.events, deviceCount: sizes.spread });
  const engines: Record<'memory' | 'redis', Engine> = { memory: { store: 'memory' }, redis: { store: 'redis', url: server.url, redis } };
  const deviceIds = benchDeviceIds(sizes.registered);
  const expectedStored = deviceIds.reduce((sum, _, i) => sum + eventsPerDevice(i, sizes.events, sizes.spread), 0);
  const kept: Partial<Record<'memory' | 'redis', GatewayProcess>> = {};
  const running: GatewayProcess[] = [];
  const started = { memory: 0, redis: 0 };
  const ingest = async (name: 'memory' | 'redis'): Promise<IngestRate> => {
    const r = started[name]++;
    if (name === 'redis') await redis.flushall();
    ctx.log(`redis: ingest with the ${name} store (run ${r + 1} of ${repeats})`);
    const gateway = await engineGateway(ctx, emulator, engines[name], { name: `gateway-${name}-${r}`, deviceIds, consumerGroup: `bench-redis-${name}-${r}`, startPosition: 'earliest' });
    running.push(gateway);
    const measured = await ingestRate(gateway, emulator, name === 'redis' ? 'gateway' : 'baseline', sizes.events, expectedStored);
    // The last run's gateways stay for the live measurement (the Redis one as instance B).
    if (r === repeats - 1) kept[name] = gateway;
    else await gateway.stop();
    return measured;
  };
  try {
    // Memory first in the first pair, as before; then alternating (lib/interleaved.ts).
    const runs = await interleavedRuns(repeats, 1, () => ingest('redis'), () => ingest('memory'));
    const c = compareRuns(runs.gateway, runs.baseline, { gateway: (r) => r.rate.perS, baseline: (r) => r.rate.perS },
      { gateway: (r) => r.processes, baseline: (r) => r.processes }, 'events');
    const bOwner = [...(await ownersOf(redis)).values()][0] as string;
    const liveIds = benchDeviceIds(sizes.liveDevices);
    const options = { deviceCount: sizes.liveDevices, ratePerS: sizes.ratePerS, warmupMs: sizes.warmupMs, measureMs: sizes.measureMs };
    ctx.log('redis: local fan-out with the memory store');
    const local = await liveRun(ctx, emulator, kept.memory as GatewayProcess, { ...options, deviceIds: devicesOn(liveIds, ['0', '1']) });
    await kept.memory?.stop();
    ctx.log('redis: instance A joins; cross-instance fan-out');
    const a = await engineGateway(ctx, emulator, engines.redis, { name: 'gateway-redis-a', deviceIds, consumerGroup: `bench-redis-redis-${repeats - 1}`, startPosition: 'latest' });
    running.push(a);
    const bPartitions = await eventually(async () => {
      const owned = [...(await ownersOf(redis))].filter(([, o]) => o === bOwner).map(([p]) => p);
      if (owned.length !== 2) throw new Error(`instance B owns ${owned.length} partitions`);
      return owned;
    }, 30_000, 100);
    const remote = await liveRun(ctx, emulator, a, { ...options, deviceIds: devicesOn(liveIds, bPartitions) });
    const memoryRate = c.baselineMedian.rate.perS;
    const redisRate = c.gatewayMedian.rate.perS;
    return [
      {
        scenario: 'redis ingest', config: `${fmt(sizes.registered)} registered, ${fmt(sizes.events)} events over ${fmt(sizes.spread)} devices`,
        gateway: `${fmt(redisRate)} events/s (STORE=redis)`, baseline: `${fmt(memoryRate)} events/s (STORE=memory)`,
        gatewayValue: redisRate, baselineValue: memoryRate, unit: 'events/s', ratio: c.ratio, cpuRatio: c.cpuRatio, spread: c.spread,
        notes: [`stored ${fmt(expectedStored)} (exact) each`, ...c.notes],
        saturated: [...saturatedOf(c.gatewayMedian.processes), ...saturatedOf(c.baselineMedian.processes, 'memory: ')],
        processes: { gateway: c.gatewayMedian.processes, baseline: c.baselineMedian.processes },
        details: { redis: runs.gateway.map((r) => r.rate), memory: runs.baseline.map((r) => r.rate) },
      },
      {
        scenario: 'redis fan-out latency', config: `${sizes.liveDevices} devices, ${fmt(sizes.ratePerS)} events/s, one WebSocket per device`,
        gateway: `cross-instance ${live(remote)}`, baseline: `memory, local ${live(local)}`,
        gatewayValue: remote.latency.p99, baselineValue: local.latency.p99, unit: 'ms p99 (lower is better)',
        ratio: ratioOf(remote.latency.p99, local.latency.p99), cpuRatio: null,
        notes: ['client on instance A, events ingested by instance B (its 2 of 4 partitions)', `wrong device ${remote.wrongDevice + local.wrongDevice}`],
        saturated: [], processes: { gateway: [], baseline: [] },
        details: { remote, local, bPartitions },
      },
    ];
  } finally {
    for (const gateway of running) await gateway.stop().catch(() => undefined);
    await emulator.stop();
    redis.disconnect();
    await server.stop();
  }
}
