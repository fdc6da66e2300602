import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryLatency, SeedArgs } from '../seeded-gateway.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceIds } from '../lib/bench-devices.js';
import { BENCH_API_KEY } from '../lib/gateway-process.js';
import { rssAnonBytes } from '../lib/proc-stats.js';
import { compareRuns, interleavedRuns } from '../lib/interleaved.js';
import { fmt, ratioOf, saturatedOf, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';
import { bareCounterRun, eventsPerDevice, gatewayIngestRun } from './ingest-runs.js';

const MiB = 1048576;
const RSS_TARGET = 500 * MiB;
const P99_TARGET_MS = 20;

/** Seeds the embedded store of a gateway child through the `TelemetryStore` API; peak `RssAnon` and history latency. */
async function seededRows(ctx: BenchContext): Promise<ResultRow[]> {
  const { embeddedDevices: devices, embeddedPerDevice: perDevice } = ctx.sizes;
  const stateDir = await mkdtemp(join(tmpdir(), 'gateway-bench-embedded-'));
  const child = await BenchChild.start({
    name: 'gateway-embedded-seeded', script: 'bench/seeded-gateway.ts', logDir: ctx.logDir, redact: [BENCH_API_KEY],
    env: { STORE: 'embedded', STATE_DIR: stateDir, HISTORY_LIMIT: String(perDevice), LOG_LEVEL: 'warn', API_KEY: BENCH_API_KEY, PORT: '0' },
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssAnonBytes(child.pid) ?? 0)), 250);
  try {
    ctx.log(`embedded: seeding ${fmt(devices)} devices × ${fmt(perDevice)} messages`);
    const seedArgs: SeedArgs = { devices, perDevice, batch: 1000 };
    const seeded = await child.request<{ stored: number; tookMs: number }>('seed', seedArgs, 1_800_000);
    if (seeded.stored !== devices * perDevice) throw new Error(`stored ${seeded.stored}, expected ${devices * perDevice}`);
    const latency = await child.request<HistoryLatency>('historyLatency', { devices, queries: 2000, limit: Math.min(100, perDevice) });
    peak = Math.max(peak, rssAnonBytes(child.pid) ?? 0);
    const config = `${fmt(devices)} devices × HISTORY_LIMIT ${fmt(perDevice)} = ${fmt(devices * perDevice)} messages (embedded)`;
    const seededNote = `seeded in ${fmt(seeded.tookMs / 1000, 1)} s (${fmt((seeded.stored / seeded.tookMs) * 1000)} messages/s, batches of 1,000)`;
    return [
      {
        scenario: 'embedded', config, gateway: `peak RssAnon ${fmt(peak / MiB)} MiB`, baseline: 'target < 500 MiB',
        gatewayValue: peak / MiB, baselineValue: RSS_TARGET / MiB, unit: 'MiB', ratio: ratioOf(peak, RSS_TARGET), cpuRatio: null,
        notes: ['RssAnon: RSS without file-backed pages (the memory-mapped database)', seededNote],
        saturated: [], processes: { gateway: [], baseline: [] }, details: { peakRssAnonBytes: peak, seeded },
      },
      {
        scenario: 'embedded', config: `${config}, ${fmt(latency.queries)} history queries of ${Math.min(100, perDevice)}`,
        gateway: `p99 ${fmt(latency.p99Ms, 2)} ms (p50 ${fmt(latency.p50Ms, 2)}, max ${fmt(latency.maxMs, 2)})`, baseline: 'target p99 < 20 ms',
        gatewayValue: latency.p99Ms, baselineValue: P99_TARGET_MS, unit: 'ms', ratio: ratioOf(latency.p99Ms, P99_TARGET_MS), cpuRatio: null,
        notes: ['TelemetryStore.history in the gateway process, random devices'], saturated: [], processes: { gateway: [], baseline: [] },
        details: { latency },
      },
    ];
  } finally {
    clearInterval(sampler);
    await child.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** The ingest comparison of the `ingest` scenario with the gateway on the embedded store (interleaved, median of `repeats`). */
async function ingestRow(ctx: BenchContext): Promise<ResultRow> {
  const { ingestEvents: events, spreadDevices: spread, embeddedIngestDevices: n } = ctx.sizes;
  const emulator = await startEmulatorChild(ctx, { events, deviceCount: spread });
  try {
    const deviceIds = benchDeviceIds(n);
    const expectedStored = deviceIds.reduce((sum, _, i) => sum + eventsPerDevice(i, events, spread), 0);
    let g = 0;
    let b = 0;
    const runs = await interleavedRuns(ctx.sizes.repeats, 0,
      () => gatewayIngestRun(ctx, emulator, {
        name: `gateway-ingest-embedded-${n}`, deviceIds, events, expectedStored, consumerGroup: `bench-embedded-gateway-${g++}`, env: { STORE: 'embedded' },
      }),
      () => bareCounterRun(ctx, emulator, { events, consumerGroup: `bench-embedded-bare-${b++}` }));
    const c = compareRuns(runs.gateway, runs.baseline, { gateway: (r) => r.rate.perS, baseline: (r) => r.rate.perS },
      { gateway: (r) => r.processes, baseline: (r) => r.processes }, 'events');
    const gateway = c.gatewayMedian;
    const bare = c.baselineMedian;
    return {
      scenario: 'embedded', config: `ingest, STORE=embedded, ${fmt(n)} registered, ${fmt(events)} events over ${fmt(spread)} devices`,
      gateway: `${fmt(gateway.rate.perS)} events/s`, baseline: `${fmt(bare.rate.perS)} events/s (bare SDK counter)`,
      gatewayValue: gateway.rate.perS, baselineValue: bare.rate.perS, unit: 'events/s', ratio: c.ratio, cpuRatio: c.cpuRatio, spread: c.spread,
      notes: ['target ≥ 0.85', `stored ${fmt(expectedStored)} (exact)`, ...c.notes],
      saturated: [...saturatedOf(gateway.processes), ...saturatedOf(bare.processes, 'bare: ')],
      processes: { gateway: gateway.processes, baseline: bare.processes },
      details: { gateway: runs.gateway.map((r) => r.rate), bare: runs.baseline.map((r) => r.rate), registered: n, events, expectedStored },
    };
  } finally {
    await emulator.stop();
  }
}

/**
 * Scenario "embedded": the embedded store (lmdb) (a) seeded with `embeddedDevices` × `embeddedPerDevice` messages
 * through the `TelemetryStore` API inside a gateway process: peak `RssAnon` (target < 500 MiB) and the p99 of
 * 100-message history queries (target < 20 ms); (b) ingest at `embeddedIngestDevices` registered against the bare
 * SDK counter, as the `ingest` scenario measures it (target ≥ 0.85).
 */
export async function embeddedScenario(ctx: BenchContext): Promise<ResultRow[]> {
  return [...(await seededRows(ctx)), await ingestRow(ctx)];
}
