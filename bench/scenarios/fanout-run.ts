import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceId } from '../lib/bench-devices.js';
import { sleep } from '../lib/eventually.js';
import { summarize, type LatencySummary } from '../lib/latency-histogram.js';
import type { ProcessRole, ProcessFigure } from '../lib/results.js';
import type { LoadReport } from '../ws-load-client.js';
import { cpuWindows } from '../lib/cpu-windows.js';

/** Hooks at the edges of the measurement window (`windowStart`, `windowEnd`); `ratePerS` and `protocol` override the fan-out defaults. */
export interface FanoutRunOptions {
  windowStart?: () => Promise<void>;
  windowEnd?: () => Promise<void>;
  /** Events per SECOND sent (default `fanoutRatePerS`). */
  ratePerS?: number;
  /** Load-client protocol (ws-load-client.ts; default `gateway`). */
  protocol?: 'gateway' | 'sample';
}

/** One side of a fan-out measurement. Rates in messages per SECOND. */
export interface FanoutRun {
  deliveredPerS: number;
  /** Telemetry messages of any device received per SECOND (above `deliveredPerS` only for a broadcast design). */
  messagesPerS: number;
  /** WebSocket frames and their payload bytes received per SECOND; frames that were JSON arrays (batches). */
  framesPerS: number;
  bytesPerS: number;
  /** Bytes per SECOND of frames holding one non-telemetry message (the gateway's `devices` lists, `status`). */
  otherBytesPerS: number;
  arrayFrames: number;
  /** CPU time of all load-client processes in the window, in MILLISECONDS. */
  loadCpuMs: number;
  /** What full delivery would be: events/s × subscribers per device. */
  offeredPerS: number;
  latency: LatencySummary;
  dropped: number;
  wrongDevice: number;
  closes: Record<string, number>;
  /** Non-telemetry messages by type (e.g. `status`, `dropped`). */
  others: Record<string, number>;
  processes: ProcessFigure[];
}

/**
 * Opens `subscribers` WebSocket connections to `url` (connection i wants device i mod `fanoutDevices`),
 * spread over `fanoutClientProcesses` load-client processes; then sends `fanoutRatePerS` events/s through the
 * emulator, waits the warm-up, and counts deliveries, latency and drops over the measurement window. `hooks` run
 * right before and right after the window, before any teardown (e.g. to profile just the window).
 * @throws Error when a connection cannot subscribe.
 */
export async function fanoutRun(
  ctx: BenchContext,
  emulator: BenchChild,
  server: BenchChild,
  role: ProcessRole,
  url: string,
  subscribers: number,
  hooks: FanoutRunOptions = {},
): Promise<FanoutRun> {
  const { fanoutClientProcesses: processes, fanoutDevices: devices } = ctx.sizes;
  const rate = hooks.ratePerS ?? ctx.sizes.fanoutRatePerS;
  const clients = await Promise.all(
    Array.from({ length: processes }, (_, p) => BenchChild.start({ name: `ws-load-${p}`, script: 'bench/ws-load-client.ts', logDir: ctx.logDir })),
  );
  try {
    await Promise.all(clients.map((client, p) => {
      const deviceIds: string[] = [];
      for (let i = p; i < subscribers; i += processes) deviceIds.push(benchDeviceId(i % devices));
      return client.request('connect', { url, deviceIds, concurrency: 50, protocol: hooks.protocol ?? 'gateway' }, 300_000);
    }));
    await emulator.request('startRate', { ratePerS: rate, deviceCount: devices });
    await sleep(ctx.sizes.fanoutWarmupMs);
    await hooks.windowStart?.();
    await Promise.all(clients.map((c) => c.request('reset')));
    const windows = cpuWindows([[server, role], [emulator, 'emulator'], ...clients.map((c) => [c, 'load'] as [BenchChild, ProcessRole])]);
    const started = performance.now();
    await sleep(ctx.sizes.fanoutMeasureMs);
    const reports = await Promise.all(clients.map((c) => c.request<LoadReport>('report')));
    const wallS = (performance.now() - started) / 1000;
    const figures = windows();
    await hooks.windowEnd?.();
    await emulator.request('stopRate');
    const sum = (pick: (r: LoadReport) => number) => reports.reduce((s, r) => s + pick(r), 0);
    const closes: Record<string, number> = {};
    const others: Record<string, number> = {};
    for (const r of reports) for (const [code, n] of Object.entries(r.closes)) closes[code] = (closes[code] ?? 0) + n;
    for (const r of reports) for (const [type, n] of Object.entries(r.others)) others[type] = (others[type] ?? 0) + n;
    return {
      deliveredPerS: sum((r) => r.received) / wallS,
      messagesPerS: sum((r) => r.messages) / wallS,
      framesPerS: sum((r) => r.frames) / wallS,
      bytesPerS: sum((r) => r.bytes) / wallS,
      otherBytesPerS: sum((r) => r.otherBytes) / wallS,
      arrayFrames: sum((r) => r.arrayFrames),
      loadCpuMs: figures.filter((f) => f.role === 'load').reduce((s, f) => s + f.cpuMs, 0),
      offeredPerS: (rate * subscribers) / devices,
      latency: summarize(reports.map((r) => r.latency)),
      dropped: sum((r) => r.dropped),
      wrongDevice: sum((r) => r.wrongDevice),
      closes,
      others,
      processes: figures,
    };
  } finally {
    await emulator.request('stopRate').catch(() => undefined);
    await Promise.all(clients.map((c) => c.stop()));
  }
}
