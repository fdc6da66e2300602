import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import type { PreloadArgs, PreloadResult } from '../emulator-process.js';

/** Starts a fresh emulator process (4 partitions) and, when `preload` is given, enqueues those events first. */
export async function startEmulatorChild(ctx: BenchContext, preload?: PreloadArgs): Promise<BenchChild> {
  const emulator = await BenchChild.start({ name: 'emulator', script: 'bench/emulator-process.ts', logDir: ctx.logDir });
  if (preload) {
    const result = await emulator.request<PreloadResult>('preload', preload, 300_000);
    ctx.log(`emulator: preloaded ${result.events} events over ${preload.deviceCount} devices in ${Math.round(result.tookMs)} ms`);
  }
  return emulator;
}
