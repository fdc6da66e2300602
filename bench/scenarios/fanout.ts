import type { BenchContext } from '../lib/bench-context.js';
import { compareRuns, interleavedRuns, median } from '../lib/interleaved.js';
import { fmt, saturatedOf, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';
import type { FanoutRun } from './fanout-run.js';
import { baselineFanoutSide, gatewayFanoutSide } from './fanout-sides.js';

function describe(run: FanoutRun): string {
  const { p50, p99, max } = run.latency;
  return `${fmt(run.deliveredPerS)} msg/s in ${fmt(run.framesPerS)} frames/s (${fmt(run.bytesPerS / 1048576, 1)} MiB/s), p50 ${p50} ms, p99 ${p99} ms, max ${max} ms`;
}

/** Targets of the row at `subscribers`: per CPU-second ≥ 1.5× and p99 below the bare server's at 10,000; p99 < 50 ms at 1,000. */
function targetNotes(subscribers: number, cpuRatio: number | null, gatewayP99: number, bareP99: number, p99Wins: string): string[] {
  if (subscribers >= 10_000) {
    const met = cpuRatio !== null && cpuRatio >= 1.5 && gatewayP99 < bareP99;
    return [`target per CPU ≥ 1.5× and p99 below bare (${p99Wins}): ${met ? 'met' : 'MISSED'}`];
  }
  if (subscribers === 1000) return [`target p99 < 50 ms: ${gatewayP99 < 50 ? 'met' : 'MISSED'}`];
  return [];
}

/**
 * Scenario 3, "fan-out": 100, 1,000 and 10,000 WebSocket subscribers over 100 devices, 1,000 events/s in;
 * delivered messages/s and per CPU-second of the server process, latency from enqueued time to client receipt (p50,
 * p99, max), frames and bytes, `dropped` counts, against a bare `ws` server sending every message in its own frame
 * to its device's clients (bare-ws-server.ts). The gateway's clients ask for batched frames and no `devices` list (`?batch=true&devices=false`). Each
 * side runs `repeats` times, interleaved (lib/interleaved.ts). Load clients run in their own processes; their CPU is
 * reported. A connection that gets another device's telemetry fails the run.
 * Targets: at 10,000, per CPU-second ≥ 1.5× the bare server and p99 below its; at 1,000, p99 < 50 ms.
 */
export async function fanoutScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const emulator = await startEmulatorChild(ctx);
  const rows: ResultRow[] = [];
  try {
    for (const [k, subscribers] of ctx.sizes.fanoutSubscribers.entries()) {
      ctx.log(`fan-out: ${subscribers} subscribers`);
      let run = 0;
      const runs = await interleavedRuns(ctx.sizes.repeats, k,
        () => gatewayFanoutSide(ctx, emulator, subscribers, { tag: 'fanout', run: run++ }),
        () => baselineFanoutSide(ctx, emulator, subscribers, { tag: 'fanout', run, script: 'bench/bare-ws-server.ts', protocol: 'gateway' }));
      const wrong = [...runs.gateway, ...runs.baseline].reduce((sum, r) => sum + r.wrongDevice, 0);
      if (wrong > 0) throw new Error(`fan-out ${subscribers}: ${wrong} telemetry messages reached a connection of another device`);
      const c = compareRuns(runs.gateway, runs.baseline, { gateway: (r) => r.deliveredPerS, baseline: (r) => r.deliveredPerS },
        { gateway: (r) => r.processes, baseline: (r) => r.processes }, 'messages');
      const gateway = c.gatewayMedian;
      const bare = c.baselineMedian;
      const gatewayP99 = median(runs.gateway.map((r) => r.latency.p99));
      const bareP99 = median(runs.baseline.map((r) => r.latency.p99));
      const p99Wins = `${runs.gateway.filter((g, i) => g.latency.p99 < (runs.baseline[i] as FanoutRun).latency.p99).length}/${runs.gateway.length} pairs`;
      const loadCpu = (r: FanoutRun) => `${fmt((1000 * r.loadCpuMs) / Math.max(1, r.deliveredPerS * (ctx.sizes.fanoutMeasureMs / 1000)), 1)} µs`;
      const closes = runs.gateway.reduce<Record<string, number>>((all, r) => {
        for (const [code, n] of Object.entries(r.closes)) all[code] = (all[code] ?? 0) + n;
        return all;
      }, {});
      rows.push({
        scenario: 'fan-out',
        config: `${fmt(subscribers)} WS subscribers, ${ctx.sizes.fanoutDevices} devices, ${fmt(ctx.sizes.fanoutRatePerS)} events/s, gateway batched, its clients opt out of the devices list`,
        gateway: describe(gateway),
        baseline: `${describe(bare)} (bare ws)`,
        gatewayValue: gateway.deliveredPerS,
        baselineValue: bare.deliveredPerS,
        unit: 'messages/s',
        ratio: c.ratio,
        cpuRatio: c.cpuRatio,
        spread: c.spread,
        notes: [
          ...targetNotes(subscribers, c.cpuRatio, gatewayP99, bareP99, p99Wins),
          `p99 median ${gatewayP99} vs ${bareP99} ms`,
          `offered ${fmt(gateway.offeredPerS)} msg/s`,
          `dropped ${fmt(runs.gateway.reduce((sum, r) => sum + r.dropped, 0))} (all runs)`,
          `${fmt(gateway.arrayFrames)} array frames`,
          ...(Object.keys(gateway.others).length ? [`other messages ${JSON.stringify(gateway.others)}, ${fmt(gateway.otherBytesPerS / 1048576, 1)} MiB/s`] : []),
          `load CPU per delivered message ${loadCpu(gateway)} vs ${loadCpu(bare)}`,
          ...c.notes,
          ...(Object.keys(closes).length ? [`closed by gateway: ${JSON.stringify(closes)}`] : []),
        ],
        saturated: [...saturatedOf(gateway.processes), ...saturatedOf(bare.processes, 'bare: ')],
        processes: { gateway: gateway.processes, baseline: bare.processes },
        details: { gateway: runs.gateway, bare: runs.baseline },
      });
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}
