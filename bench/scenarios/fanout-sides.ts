import type { BareWsStatus } from '../bare-ws-server.js';
import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceIds } from '../lib/bench-devices.js';
import { eventually } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway } from '../lib/gateway-process.js';
import { profileWindow } from '../lib/profile-window.js';
import { readSample } from '../lib/prometheus-text.js';
import type { SampleStatus } from '../sample-broadcast-server.js';
import { fanoutRun, type FanoutRun } from './fanout-run.js';
import { GATEWAY_MAX_BATCH_SIZE } from './ingest-runs.js';

/** Which run of a comparison: names the gateway child (and its `--profile` file) and the consumer groups. */
export interface SideOptions {
  /** Scenario tag in names, e.g. `fanout`, `broadcast`. */
  tag: string;
  run: number;
  /** Events per SECOND (default `fanoutRatePerS`). */
  ratePerS?: number;
}

/**
 * The gateway side of a fan-out run: a fresh gateway with the fan-out devices registered, `subscribers` clients with
 * batched frames and no `devices` list (`/api/ws?batch=true&devices=false`: like the bare server's clients, they only
 * want telemetry), one device subscription each; `--profile` records its measurement window.
 */
export async function gatewayFanoutSide(ctx: BenchContext, emulator: BenchChild, subscribers: number, side: SideOptions): Promise<FanoutRun> {
  const { connectionString } = emulator.info as EmulatorInfo;
  const gateway = await startGateway({
    name: `gateway-${side.tag}-${subscribers}-run${side.run}`, connectionString, consumerGroup: `bench-${side.tag}-gateway-${subscribers}`,
    deviceIds: benchDeviceIds(ctx.sizes.fanoutDevices), startPosition: 'latest', logDir: ctx.logDir,
    env: { WS_MAX_CONNECTIONS: String(Math.max(10_000, subscribers * 2)) },
  });
  try {
    await eventually(async () => {
      if (readSample(await gateway.metrics(), 'gateway_hub_consumer_state', ['state', 'connected']) !== 1) throw new Error('hub consumer not connected');
    }, 60_000, 200);
    const url = `${gateway.baseUrl.replace('http', 'ws')}/api/ws?api_key=${BENCH_API_KEY}&batch=true&devices=false`;
    let stopProfile: (() => Promise<void>) | undefined;
    return await fanoutRun(ctx, emulator, gateway.child, 'gateway', url, subscribers, {
      ...(side.ratePerS ? { ratePerS: side.ratePerS } : {}),
      windowStart: async () => {
        stopProfile = await profileWindow(ctx, gateway.child);
      },
      windowEnd: () => stopProfile?.() ?? Promise.resolve(),
    });
  } finally {
    await gateway.stop();
  }
}

/**
 * A baseline side: `script` (bare-ws-server.ts or sample-broadcast-server.ts) started, its consumer initialised on
 * all 4 partitions, then the same run with the load clients' `protocol`.
 */
export async function baselineFanoutSide(
  ctx: BenchContext, emulator: BenchChild, subscribers: number, side: SideOptions & { script: string; protocol: 'gateway' | 'sample' },
): Promise<FanoutRun> {
  const { connectionString } = emulator.info as EmulatorInfo;
  const name = side.script.replace(/^bench\/|\.ts$/g, '');
  const server = await BenchChild.start({ name, script: side.script, logDir: ctx.logDir });
  try {
    await server.request('start', { connectionString, consumerGroup: `bench-${side.tag}-baseline-${subscribers}`, maxBatchSize: GATEWAY_MAX_BATCH_SIZE });
    await eventually(async () => {
      if ((await server.request<BareWsStatus | SampleStatus>('status')).partitionsInitialised < 4) throw new Error(`${name} consumer not initialised`);
    }, 60_000, 200);
    return await fanoutRun(ctx, emulator, server, 'baseline', (server.info as { url: string }).url, subscribers, {
      protocol: side.protocol, ...(side.ratePerS ? { ratePerS: side.ratePerS } : {}),
    });
  } finally {
    await server.stop();
  }
}
