import type { Redis } from 'ioredis';
import { Partitioner } from '../../src/emulator/partitioner.js';
import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { sleep } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway, type GatewayProcess } from '../lib/gateway-process.js';
import { summarize, type LatencySummary } from '../lib/latency-histogram.js';
import { measureRate, type RateMeasurement } from '../lib/measure-rate.js';
import { cpuWindows } from '../lib/cpu-windows.js';
import type { ProcessFigure, ProcessRole } from '../lib/results.js';
import type { LoadReport } from '../ws-load-client.js';

/** Claim interval and ownership expiry (s) of the bench's Redis instances: short, so a joining instance balances fast. */
const BALANCING_ENV = { PARTITION_CLAIM_INTERVAL: '1', PARTITION_OWNERSHIP_EXPIRY: '4' };

/** Where a bench gateway keeps its state. */
export type Engine = { store: 'memory' } | { store: 'redis'; url: string; redis: Redis };

/**
 * Starts a gateway on `engine` with `deviceIds` registered (for Redis: written to the shared registrations hash, as
 * another instance would have), reading `consumerGroup` from `startPosition`.
 */
export async function engineGateway(
  ctx: BenchContext,
  emulator: BenchChild,
  engine: Engine,
  options: { name: string; deviceIds: string[]; consumerGroup: string; startPosition: 'earliest' | 'latest' },
): Promise<GatewayProcess> {
  const { connectionString } = emulator.info as EmulatorInfo;
  if (engine.store === 'redis') {
    const registeredAt = new Date().toISOString();
    await engine.redis.hset('gw:reg', Object.fromEntries(options.deviceIds.map((id) => [id, registeredAt])));
  }
  const env: Record<string, string> = engine.store === 'redis' ? { STORE: 'redis', REDIS_URL: engine.url, ...BALANCING_ENV } : { STORE: 'memory' };
  return startGateway({ ...options, connectionString, logDir: ctx.logDir, env: { ...env, WS_MAX_CONNECTIONS: '10000' } });
}

/** One ingest measurement: the rate and the CPU of the gateway (with `role`) and the emulator over its window. */
export interface IngestRate {
  rate: RateMeasurement;
  processes: ProcessFigure[];
}

/**
 * Measures events/s through `gateway` (`gateway_events_received_total`) until it read `events`, with the CPU of the
 * gateway (as `role`) and the emulator over the measured window.
 * @throws Error when it times out or stores a count other than `expectedStored`.
 */
export async function ingestRate(
  gateway: GatewayProcess, emulator: BenchChild, role: ProcessRole, events: number, expectedStored: number,
): Promise<IngestRate> {
  let windows: ReturnType<typeof cpuWindows> | undefined;
  const rate = await measureRate(async () => (await gateway.counts()).received, {
    expected: events, timeoutMs: 300_000, onStart: () => (windows = cpuWindows([[gateway.child, role], [emulator, 'emulator']])),
  });
  const processes = windows?.() ?? [];
  if (rate.timedOut) throw new Error(`gateway read ${rate.endCount} of ${events} events`);
  const { stored } = await gateway.counts();
  if (stored !== expectedStored) throw new Error(`gateway stored ${stored} messages, expected ${expectedStored}`);
  return { rate, processes };
}

/** Owner ID per partition of the only ownerships hash, as the SDK's load balancer stored it. */
export async function ownersOf(redis: Redis): Promise<Map<string, string>> {
  const [key] = await redis.keys('gw:own:*');
  const stored = key ? await redis.hgetall(key) : {};
  return new Map(Object.entries(stored).map(([p, json]) => [p, (JSON.parse(json) as { ownerId: string }).ownerId]));
}

/** The devices among `deviceIds` whose partition (the emulator's, 4 partitions) is one of `partitions`. */
export function devicesOn(deviceIds: readonly string[], partitions: readonly string[]): string[] {
  const partitioner = new Partitioner(4);
  return deviceIds.filter((id) => partitions.includes(String(partitioner.indexOf(id))));
}

/** One live-latency measurement: one WebSocket per device of `deviceIds`. Latency in MILLISECONDS. */
export interface LiveRun {
  received: number;
  latency: LatencySummary;
  dropped: number;
  wrongDevice: number;
}

/**
 * Connects one load-client process (one WebSocket per device of `deviceIds`) to `gateway`, sends `ratePerS`
 * events/s over the first `deviceCount` bench devices, and reports the latency from enqueued time to receipt over
 * `measureMs` after `warmupMs`.
 */
export async function liveRun(
  ctx: BenchContext,
  emulator: BenchChild,
  gateway: GatewayProcess,
  options: { deviceIds: string[]; deviceCount: number; ratePerS: number; warmupMs: number; measureMs: number },
): Promise<LiveRun> {
  const client = await BenchChild.start({ name: 'ws-load-redis', script: 'bench/ws-load-client.ts', logDir: ctx.logDir });
  try {
    const url = `${gateway.baseUrl.replace('http', 'ws')}/api/ws?api_key=${BENCH_API_KEY}`;
    await client.request('connect', { url, deviceIds: options.deviceIds, concurrency: 50 }, 120_000);
    await emulator.request('startRate', { ratePerS: options.ratePerS, deviceCount: options.deviceCount });
    await sleep(options.warmupMs);
    await client.request('reset');
    await sleep(options.measureMs);
    const report = await client.request<LoadReport>('report');
    return { received: report.received, latency: summarize([report.latency]), dropped: report.dropped, wrongDevice: report.wrongDevice };
  } finally {
    await emulator.request('stopRate').catch(() => undefined);
    await client.stop();
  }
}
