import type { BareWsStatus } from '../bare-ws-server.js';
import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceIds } from '../lib/bench-devices.js';
import { eventually } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway } from '../lib/gateway-process.js';
import { profileWindow } from '../lib/profile-window.js';
import { readSample } from '../lib/prometheus-text.js';
import { cpuRatioOf, fmt, ratioOf, saturatedOf, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';
import { fanoutRun, type FanoutRun } from './fanout-run.js';
import { GATEWAY_MAX_BATCH_SIZE } from './ingest-runs.js';

async function gatewaySide(ctx: BenchContext, emulator: BenchChild, subscribers: number): Promise<FanoutRun> {
  const { connectionString } = emulator.info as EmulatorInfo;
  const gateway = await startGateway({
    name: `gateway-fanout-${subscribers}`, connectionString, consumerGroup: `bench-fanout-gateway-${subscribers}`,
    deviceIds: benchDeviceIds(ctx.sizes.fanoutDevices), startPosition: 'latest', logDir: ctx.logDir,
    env: { WS_MAX_CONNECTIONS: String(Math.max(10_000, subscribers * 2)) },
  });
  try {
    await eventually(async () => {
      if (readSample(await gateway.metrics(), 'gateway_hub_consumer_state', ['state', 'connected']) !== 1) throw new Error('hub consumer not connected');
    }, 60_000, 200);
    const url = `${gateway.baseUrl.replace('http', 'ws')}/api/ws?api_key=${BENCH_API_KEY}`;
    let stopProfile: (() => Promise<void>) | undefined;
    return await fanoutRun(ctx, emulator, gateway.child, 'gateway', url, subscribers, {
      windowStart: async () => {
        stopProfile = await profileWindow(ctx, gateway.child);
      },
      windowEnd: () => stopProfile?.() ?? Promise.resolve(),
    });
  } finally {
    await gateway.stop();
  }
}

async function bareSide(ctx: BenchContext, emulator: BenchChild, subscribers: number): Promise<FanoutRun> {
  const { connectionString } = emulator.info as EmulatorInfo;
  const server = await BenchChild.start({ name: 'bare-ws-server', script: 'bench/bare-ws-server.ts', logDir: ctx.logDir });
  try {
    await server.request('start', { connectionString, consumerGroup: `bench-fanout-bare-${subscribers}`, maxBatchSize: GATEWAY_MAX_BATCH_SIZE });
    await eventually(async () => {
      if ((await server.request<BareWsStatus>('status')).partitionsInitialised < 4) throw new Error('bare consumer not initialised');
    }, 60_000, 200);
    return await fanoutRun(ctx, emulator, server, 'baseline', (server.info as { url: string }).url, subscribers);
  } finally {
    await server.stop();
  }
}

function describe(run: FanoutRun): string {
  const { p50, p99, max } = run.latency;
  return `${fmt(run.deliveredPerS)} msg/s, p50 ${p50} ms, p99 ${p99} ms, max ${max} ms`;
}

/**
 * Scenario 3, "fan-out": 100, 1,000 and 10,000 WebSocket subscribers over 100 devices, 1,000 events/s in;
 * delivered messages/s, latency from enqueued time to client receipt (p50, p99, max), `dropped` counts, against a
 * bare `ws` server broadcasting the same stream to the same clients (bare-ws-server.ts). Load clients run in their
 * own processes and their CPU is reported. Target: ratio ≥ 0.7 with p99 < 50 ms at 1,000 subscribers.
 */
export async function fanoutScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const emulator = await startEmulatorChild(ctx);
  const rows: ResultRow[] = [];
  try {
    for (const subscribers of ctx.sizes.fanoutSubscribers) {
      ctx.log(`fan-out: ${subscribers} subscribers`);
      const gateway = await gatewaySide(ctx, emulator, subscribers);
      const bare = await bareSide(ctx, emulator, subscribers);
      const perCpu = cpuRatioOf(gateway.deliveredPerS, gateway.processes, bare.deliveredPerS, bare.processes, 'messages');
      rows.push({
        scenario: 'fan-out',
        config: `${fmt(subscribers)} WS subscribers, ${ctx.sizes.fanoutDevices} devices, ${fmt(ctx.sizes.fanoutRatePerS)} events/s`,
        gateway: describe(gateway),
        baseline: `${describe(bare)} (bare ws)`,
        gatewayValue: gateway.deliveredPerS,
        baselineValue: bare.deliveredPerS,
        unit: 'messages/s',
        ratio: ratioOf(gateway.deliveredPerS, bare.deliveredPerS),
        cpuRatio: perCpu.cpuRatio,
        notes: [
          `target ≥ 0.7, p99 < 50 ms at 1,000`,
          `offered ${fmt(gateway.offeredPerS)} msg/s`,
          `dropped ${fmt(gateway.dropped)}`,
          perCpu.note,
          ...(Object.keys(gateway.closes).length ? [`closed by gateway: ${JSON.stringify(gateway.closes)}`] : []),
          ...(gateway.wrongDevice + bare.wrongDevice > 0 ? [`WRONG DEVICE ${gateway.wrongDevice}/${bare.wrongDevice}`] : []),
        ],
        saturated: [...saturatedOf(gateway.processes), ...saturatedOf(bare.processes, 'bare: ')],
        processes: { gateway: gateway.processes, baseline: bare.processes },
        details: { gateway, bare },
      });
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}
