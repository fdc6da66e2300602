import type { BenchContext } from '../lib/bench-context.js';
import { compareRuns, interleavedRuns } from '../lib/interleaved.js';
import { fmt, saturatedOf, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';
import type { FanoutRun } from './fanout-run.js';
import { baselineFanoutSide, gatewayFanoutSide } from './fanout-sides.js';

/** What one side cost per useful message (a telemetry message of the device its client wanted). */
export interface PerUseful {
  /** Messages, frames and payload BYTES the clients received per useful message. */
  messages: number;
  frames: number;
  bytes: number;
  /** CPU of the load-client processes and of the server process per useful message, in MICROSECONDS. */
  clientCpuUs: number;
  serverCpuUs: number;
}

/** {@link PerUseful} of one run. */
export function perUseful(run: FanoutRun, measureMs: number): PerUseful {
  const useful = Math.max(1, run.deliveredPerS * (measureMs / 1000));
  const server = run.processes.find((p) => p.role === 'gateway' || p.role === 'baseline');
  return {
    messages: run.messagesPerS / Math.max(1e-9, run.deliveredPerS),
    frames: run.framesPerS / Math.max(1e-9, run.deliveredPerS),
    bytes: run.bytesPerS / Math.max(1e-9, run.deliveredPerS),
    clientCpuUs: (1000 * run.loadCpuMs) / useful,
    serverCpuUs: (1000 * (server?.cpuMs ?? 0)) / useful,
  };
}

function describe(run: FanoutRun, measureMs: number): string {
  const u = perUseful(run, measureMs);
  return `${fmt(run.deliveredPerS)} useful msg/s, p99 ${run.latency.p99} ms; per useful message: ${fmt(u.messages, 2)} messages in ` +
    `${fmt(u.frames, 2)} frames, ${fmt(u.bytes)} B sent, client CPU ${fmt(u.clientCpuUs, 1)} µs, server CPU ${fmt(u.serverCpuUs, 1)} µs`;
}

/**
 * Scenario "broadcast": the design of Microsoft's sample (sample-broadcast-server.ts: every event to every client,
 * the client parses every frame and keeps its device's) against the gateway with one device subscription per
 * client and batched frames, at `fanoutDevices` devices × `broadcastSubscribers` subscribers (each wants one device)
 * and `broadcastRatePerS` events/s. Headline: useful messages delivered per SECOND (what each client wanted); the
 * row gives the messages, frames and bytes sent per useful message and the client and server CPU it costs. Sides run
 * `repeats` times interleaved. A gateway client that gets another device's telemetry fails the run.
 */
export async function broadcastScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const { broadcastSubscribers: subscribers, broadcastRatePerS: ratePerS, fanoutDevices: devices, fanoutMeasureMs: measureMs } = ctx.sizes;
  const emulator = await startEmulatorChild(ctx);
  try {
    ctx.log(`broadcast: ${subscribers} subscribers, Microsoft sample vs gateway`);
    let run = 0;
    const runs = await interleavedRuns(ctx.sizes.repeats, 0,
      () => gatewayFanoutSide(ctx, emulator, subscribers, { tag: 'broadcast', run: run++, ratePerS }),
      () => baselineFanoutSide(ctx, emulator, subscribers, { tag: 'broadcast', run, ratePerS, script: 'bench/sample-broadcast-server.ts', protocol: 'sample' }));
    const wrong = runs.gateway.reduce((sum, r) => sum + r.wrongDevice, 0);
    if (wrong > 0) throw new Error(`broadcast: ${wrong} telemetry messages reached a gateway connection of another device`);
    const c = compareRuns(runs.gateway, runs.baseline, { gateway: (r) => r.deliveredPerS, baseline: (r) => r.deliveredPerS },
      { gateway: (r) => r.processes, baseline: (r) => r.processes }, 'useful messages');
    const gateway = c.gatewayMedian;
    const sample = c.baselineMedian;
    const g = perUseful(gateway, measureMs);
    const s = perUseful(sample, measureMs);
    return [{
      scenario: 'broadcast',
      config: `${fmt(subscribers)} WS subscribers, 1 device each of ${devices}, ${fmt(ratePerS)} events/s; gateway per-device subscriptions, batched, no devices list`,
      gateway: describe(gateway, measureMs),
      baseline: `${describe(sample, measureMs)} (Microsoft sample)`,
      gatewayValue: gateway.deliveredPerS,
      baselineValue: sample.deliveredPerS,
      unit: 'useful messages/s',
      ratio: c.ratio,
      cpuRatio: c.cpuRatio,
      spread: c.spread,
      notes: [
        `offered ${fmt(gateway.offeredPerS)} useful msg/s`,
        `sample sends ${fmt(s.messages / Math.max(1e-9, g.messages), 0)}× the messages and ${fmt(s.bytes / Math.max(1, g.bytes), 0)}× the bytes per useful message`,
        `client CPU per useful message ${fmt(s.clientCpuUs / Math.max(1e-9, g.clientCpuUs), 1)}× the gateway's`,
        `dropped ${fmt(runs.gateway.reduce((sum, r) => sum + r.dropped, 0))} (all runs)`,
        ...c.notes,
      ],
      saturated: [...saturatedOf(gateway.processes), ...saturatedOf(sample.processes, 'sample: ')],
      processes: { gateway: gateway.processes, baseline: sample.processes },
      details: { gateway: runs.gateway, sample: runs.baseline, perUseful: { gateway: g, sample: s } },
    }];
  } finally {
    await emulator.stop();
  }
}
