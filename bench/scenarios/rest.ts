import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceId } from '../lib/bench-devices.js';
import { eventually } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway } from '../lib/gateway-process.js';
import { compareRuns, interleavedRuns } from '../lib/interleaved.js';
import { profileWindow } from '../lib/profile-window.js';
import { fmt, saturatedOf, type ProcessFigure, type ProcessRole, type ResultRow } from '../lib/results.js';
import type { RestLoadArgs, RestLoadResult } from '../rest-load.js';
import { startEmulatorChild } from './emulator-child.js';
import { cpuWindows } from '../lib/cpu-windows.js';

/** One load run against one side. */
interface RestRun {
  result: RestLoadResult;
  processes: ProcessFigure[];
}

async function load(ctx: BenchContext, server: BenchChild, role: ProcessRole, args: RestLoadArgs): Promise<RestRun> {
  const cannon = await BenchChild.start({ name: 'autocannon', script: 'bench/rest-load.ts', logDir: ctx.logDir });
  try {
    const windows = cpuWindows([[server, role], [cannon, 'load']]);
    const result = await cannon.request<RestLoadResult>('run', args, (args.durationS + 60) * 1000);
    return { result, processes: windows() };
  } finally {
    await cannon.stop();
  }
}

/** Checks the gateway's answer to the scenario's request and returns its text. @throws Error on a wrong answer. */
async function gatewayAnswer(url: string, deviceId: string): Promise<string> {
  const response = await fetch(url, { headers: { 'X-API-Key': BENCH_API_KEY } });
  const body = await response.text();
  const parsed = JSON.parse(body) as { deviceId?: string; voltages?: unknown };
  if (response.status !== 200 || parsed.deviceId !== deviceId || !Array.isArray(parsed.voltages)) {
    throw new Error(`GET /api/telemetry answered ${response.status}: ${body.slice(0, 200)}`);
  }
  return body;
}

/**
 * Scenario 4, "REST": `GET /api/telemetry` with auth on, 50 concurrent connections (autocannon in its own
 * process, a fresh one per run), against a bare fastify route answering a constant of the same size
 * (bare-fastify-route.ts). Both servers stay up for the scenario; their load runs alternate (lib/interleaved.ts),
 * `repeats` a side, and the row reports the median ratio of requests/s (and per CPU-second) with its min and max, and
 * p99 latency. Target: ratio ≥ 0.8.
 */
export async function restScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const deviceId = benchDeviceId(0);
  const emulator = await startEmulatorChild(ctx, { events: 1, deviceCount: 1 });
  const { connectionString } = emulator.info as EmulatorInfo;
  const { restConnections: connections, restDurationS: durationS } = ctx.sizes;
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  let bareServer: BenchChild | undefined;
  try {
    gateway = await startGateway({
      name: 'gateway-rest', connectionString, consumerGroup: 'bench-rest', deviceIds: [deviceId], startPosition: 'earliest',
      logDir: ctx.logDir,
    });
    const gw = gateway;
    await eventually(async () => {
      if ((await gw.counts()).stored !== 1) throw new Error('the preloaded message is not stored yet');
    }, 60_000, 200);
    const url = `${gw.baseUrl}/api/telemetry?deviceId=${deviceId}`;
    const body = await gatewayAnswer(url, deviceId);
    const bodyBytes = Buffer.byteLength(body);
    bareServer = await BenchChild.start({ name: 'bare-fastify-route', script: 'bench/bare-fastify-route.ts', logDir: ctx.logDir });
    const bare = bareServer;
    await bare.request('serve', body);
    const bareUrl = `${(bare.info as { url: string }).url}/api/telemetry`;
    ctx.log(`rest: ${bodyBytes}-byte answer, ${ctx.sizes.repeats} interleaved runs a side`);
    const stopProfile = await profileWindow(ctx, gw.child);
    const runs = await interleavedRuns(ctx.sizes.repeats, 0,
      () => load(ctx, gw.child, 'gateway', { url, headers: { 'X-API-Key': BENCH_API_KEY }, connections, durationS }),
      () => load(ctx, bare, 'baseline', { url: bareUrl, headers: {}, connections, durationS }));
    await stopProfile();
    const c = compareRuns(runs.gateway, runs.baseline, { gateway: (r) => r.result.requestsPerS, baseline: (r) => r.result.requestsPerS },
      { gateway: (r) => r.processes, baseline: (r) => r.processes }, 'requests');
    const g = c.gatewayMedian;
    const b = c.baselineMedian;
    const failures = (rs: RestRun[]) => rs.reduce((sum, r) => sum + r.result.non2xx + r.result.errors + r.result.timeouts, 0);
    if (failures(runs.gateway) > 0) throw new Error(`the gateway answered ${failures(runs.gateway)} requests with non-2xx, errors or timeouts`);
    return [{
      scenario: 'REST',
      config: `GET /api/telemetry, auth on, ${connections} connections, ${durationS} s`,
      gateway: `${fmt(g.result.requestsPerS)} req/s, p99 ${g.result.latencyP99Ms} ms`,
      baseline: `${fmt(b.result.requestsPerS)} req/s, p99 ${b.result.latencyP99Ms} ms (bare fastify route)`,
      gatewayValue: g.result.requestsPerS,
      baselineValue: b.result.requestsPerS,
      unit: 'requests/s',
      ratio: c.ratio,
      cpuRatio: c.cpuRatio,
      spread: c.spread,
      notes: ['target ≥ 0.8', `${bodyBytes}-byte answer`, ...c.notes, `non-2xx/errors: 0 / bare ${failures(runs.baseline)}`],
      saturated: [...saturatedOf(g.processes), ...saturatedOf(b.processes, 'bare: ')],
      processes: { gateway: g.processes, baseline: b.processes },
      details: { gateway: runs.gateway.map((r) => r.result), bare: runs.baseline.map((r) => r.result), bodyBytes },
    }];
  } finally {
    await bareServer?.stop();
    await gateway?.stop();
    await emulator.stop();
  }
}
