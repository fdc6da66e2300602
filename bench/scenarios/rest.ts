import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceId } from '../lib/bench-devices.js';
import { eventually } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway } from '../lib/gateway-process.js';
import { profileWindow } from '../lib/profile-window.js';
import { cpuRatioOf, fmt, ratioOf, saturatedOf, type ProcessFigure, type ProcessRole, type ResultRow } from '../lib/results.js';
import type { RestLoadArgs, RestLoadResult } from '../rest-load.js';
import { startEmulatorChild } from './emulator-child.js';
import { cpuWindows } from '../lib/cpu-windows.js';

async function load(ctx: BenchContext, server: BenchChild, role: ProcessRole, args: RestLoadArgs): Promise<{ result: RestLoadResult; processes: ProcessFigure[] }> {
  const cannon = await BenchChild.start({ name: 'autocannon', script: 'bench/rest-load.ts', logDir: ctx.logDir });
  try {
    const windows = cpuWindows([[server, role], [cannon, 'load']]);
    const result = await cannon.request<RestLoadResult>('run', args, (args.durationS + 60) * 1000);
    return { result, processes: windows() };
  } finally {
    await cannon.stop();
  }
}

/**
 * Scenario 4, "REST": `GET /api/telemetry` with auth on, 50 concurrent connections (autocannon in its own
 * process), against a bare fastify route answering a constant of the same size (bare-fastify-route.ts), same run:
 * ratio of requests/s, and p99 latency. Target: ratio ≥ 0.8.
 */
export async function restScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const deviceId = benchDeviceId(0);
  const emulator = await startEmulatorChild(ctx, { events: 1, deviceCount: 1 });
  const { connectionString } = emulator.info as EmulatorInfo;
  const { restConnections: connections, restDurationS: durationS } = ctx.sizes;
  try {
    const gateway = await startGateway({
      name: 'gateway-rest', connectionString, consumerGroup: 'bench-rest', deviceIds: [deviceId], startPosition: 'earliest',
      logDir: ctx.logDir,
    });
    let body: string;
    let gw;
    try {
      await eventually(async () => {
        if ((await gateway.counts()).stored !== 1) throw new Error('the preloaded message is not stored yet');
      }, 60_000, 200);
      const url = `${gateway.baseUrl}/api/telemetry?deviceId=${deviceId}`;
      const response = await fetch(url, { headers: { 'X-API-Key': BENCH_API_KEY } });
      body = await response.text();
      const parsed = JSON.parse(body) as { deviceId?: string; voltages?: unknown };
      if (response.status !== 200 || parsed.deviceId !== deviceId || !Array.isArray(parsed.voltages)) {
        throw new Error(`GET /api/telemetry answered ${response.status}: ${body.slice(0, 200)}`);
      }
      ctx.log(`rest: gateway (${Buffer.byteLength(body)}-byte answer)`);
      const stopProfile = await profileWindow(ctx, gateway.child);
      gw = await load(ctx, gateway.child, 'gateway', { url, headers: { 'X-API-Key': BENCH_API_KEY }, connections, durationS });
      await stopProfile();
    } finally {
      await gateway.stop();
    }
    const bareServer = await BenchChild.start({ name: 'bare-fastify-route', script: 'bench/bare-fastify-route.ts', logDir: ctx.logDir });
    let bare;
    try {
      await bareServer.request('serve', body);
      ctx.log('rest: bare fastify route');
      bare = await load(ctx, bareServer, 'baseline', { url: `${(bareServer.info as { url: string }).url}/api/telemetry`, headers: {}, connections, durationS });
    } finally {
      await bareServer.stop();
    }
    const failures = (r: RestLoadResult) => r.non2xx + r.errors + r.timeouts;
    const perCpu = cpuRatioOf(gw.result.requestsPerS, gw.processes, bare.result.requestsPerS, bare.processes, 'requests');
    return [{
      scenario: 'REST',
      config: `GET /api/telemetry, auth on, ${connections} connections, ${durationS} s`,
      gateway: `${fmt(gw.result.requestsPerS)} req/s, p99 ${gw.result.latencyP99Ms} ms`,
      baseline: `${fmt(bare.result.requestsPerS)} req/s, p99 ${bare.result.latencyP99Ms} ms (bare fastify route)`,
      gatewayValue: gw.result.requestsPerS,
      baselineValue: bare.result.requestsPerS,
      unit: 'requests/s',
      ratio: ratioOf(gw.result.requestsPerS, bare.result.requestsPerS),
      cpuRatio: perCpu.cpuRatio,
      notes: [
        'target ≥ 0.8',
        `${Buffer.byteLength(body)}-byte answer`,
        perCpu.note,
        `non-2xx/errors: ${failures(gw.result)} / bare ${failures(bare.result)}`,
      ],
      saturated: [...saturatedOf(gw.processes), ...saturatedOf(bare.processes, 'bare: ')],
      processes: { gateway: gw.processes, baseline: bare.processes },
      details: { gateway: gw.result, bare: bare.result, bodyBytes: Buffer.byteLength(body) },
    }];
  } finally {
    await emulator.stop();
  }
}
