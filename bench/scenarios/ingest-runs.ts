import type { CounterCount } from '../bare-sdk-counter.js';
import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { startGateway } from '../lib/gateway-process.js';
import { measureRate, type RateMeasurement } from '../lib/measure-rate.js';
import { profileWindow } from '../lib/profile-window.js';
import { cpuWindows } from '../lib/cpu-windows.js';
import type { ProcessFigure } from '../lib/results.js';

/** One side of an ingest comparison. */
export interface IngestRun {
  rate: RateMeasurement;
  processes: ProcessFigure[];
}

/** Events the emulator's round-robin preload gave device index `i` (see emulator-process.ts `preload`). */
export function eventsPerDevice(i: number, events: number, spread: number): number {
  return Math.floor(events / spread) + (i < events % spread ? 1 : 0);
}

/** The maxBatchSize of the gateway's hub consumer (src/hub/hub-consumer.ts), used by every SDK baseline. */
export const GATEWAY_MAX_BATCH_SIZE = 100;

/**
 * Reads the emulator's preloaded events with a gateway that has `deviceIds` registered, from `earliest`, and measures
 * events/s through its pipeline (`gateway_events_received_total`, polled in-process over IPC like the bare counter,
 * not by scraping `/metrics`). Checks on `/metrics` that exactly `expectedStored` messages were stored (the watched
 * devices' events) and that the probe read the same counters. `env`: more gateway environment (e.g. `STORE`).
 * @throws Error when the gateway fails or stores a different count.
 */
export async function gatewayIngestRun(
  ctx: BenchContext,
  emulator: BenchChild,
  options: { name: string; deviceIds: string[]; events: number; expectedStored: number; consumerGroup: string; env?: Record<string, string> },
): Promise<IngestRun> {
  const { connectionString } = emulator.info as EmulatorInfo;
  const gateway = await startGateway({
    name: options.name, connectionString, consumerGroup: options.consumerGroup, deviceIds: options.deviceIds,
    startPosition: 'earliest', logDir: ctx.logDir, ...(options.env ? { env: options.env } : {}),
  });
  try {
    const stopProfile = await profileWindow(ctx, gateway.child);
    let windows: ReturnType<typeof cpuWindows> | undefined;
    const rate = await measureRate(async () => (await gateway.probeCounts()).received, {
      expected: options.events, timeoutMs: 300_000,
      onStart: () => (windows = cpuWindows([[gateway.child, 'gateway'], [emulator, 'emulator']])),
    });
    const processes = windows?.() ?? [];
    await stopProfile();
    const { stored, received } = await gateway.counts();
    const probed = await gateway.probeCounts();
    if (probed.received !== received || probed.stored !== stored) {
      throw new Error(`probe read ${JSON.stringify(probed)}, /metrics ${JSON.stringify({ received, stored })}`);
    }
    if (rate.timedOut) throw new Error(`gateway read ${rate.endCount} of ${options.events} events`);
    if (stored !== options.expectedStored) throw new Error(`gateway stored ${stored} messages, expected ${options.expectedStored}`);
    return { rate, processes };
  } finally {
    await gateway.stop();
  }
}

/** Reads the same preloaded events with the bare SDK counter (bare-sdk-counter.ts) and measures events/s. */
export async function bareCounterRun(
  ctx: BenchContext,
  emulator: BenchChild,
  options: { events: number; consumerGroup: string },
): Promise<IngestRun> {
  const { connectionString } = emulator.info as EmulatorInfo;
  const counter = await BenchChild.start({ name: 'bare-sdk-counter', script: 'bench/bare-sdk-counter.ts', logDir: ctx.logDir });
  try {
    await counter.request('start', { connectionString, consumerGroup: options.consumerGroup, maxBatchSize: GATEWAY_MAX_BATCH_SIZE });
    let windows: ReturnType<typeof cpuWindows> | undefined;
    const rate = await measureRate(async () => (await counter.request<CounterCount>('count')).count, {
      expected: options.events, timeoutMs: 300_000,
      onStart: () => (windows = cpuWindows([[counter, 'baseline'], [emulator, 'emulator']])),
    });
    const processes = windows?.() ?? [];
    if (rate.timedOut) throw new Error(`bare counter read ${rate.endCount} of ${options.events} events`);
    if (rate.endCount !== options.events) throw new Error(`bare counter read ${rate.endCount} events, expected ${options.events}`);
    return { rate, processes };
  } finally {
    await counter.stop();
  }
}
