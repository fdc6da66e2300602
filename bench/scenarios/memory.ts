import type { BenchContext } from '../lib/bench-context.js';
import { median, spreadOf } from '../lib/interleaved.js';
import { fmt, type ResultRow } from '../lib/results.js';
import { extrapolate, memoryRun, type MemoryRun } from './memory-run.js';

const MiB = 1048576;
const GiB = 2 ** 30;
const TARGET = 0.8;

/**
 * Scenario 5, "memory": heap plus external memory of the gateway (STORE=memory) with `memoryDevices` ×
 * `HISTORY_LIMIT` stored messages, after full GCs before any traffic and after storing them, per stored message, ÷
 * the JSON size of one stored message as the history endpoint returns it (the "baseline"; a ratio, not a side-by-side
 * run). The notes add the cost of one more message (the growth from half full to full). Repeated
 * `repeats` times, each on a fresh emulator and gateway: median ratio with min–max. Then one large run
 * (`memoryScaleDevices` × `memoryScaleHistory`) to extrapolate 10,000 devices × 1,000 messages.
 */
export async function memoryScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const { memoryDevices: devices, historyLimit, repeats, memoryScaleDevices, memoryScaleHistory } = ctx.sizes;
  const runs: MemoryRun[] = [];
  for (let r = 0; r < Math.max(1, repeats); r++) runs.push(await memoryRun(ctx, devices, historyLimit));
  const ratios = runs.map((run) => run.perMessage / run.jsonBytes);
  const ratio = median(ratios);
  const mid = runs[ratios.indexOf([...ratios].sort((a, b) => a - b)[(ratios.length - 1) >> 1] as number)] as MemoryRun;
  const notes = [
    `target ≤ ${TARGET}; ratio = (heapUsed + external) growth per message from before any traffic to full ÷ its JSON size (lower is better), after forced GCs`,
    `per message: heap ${fmt(mid.heapPerMessage)} + external ${fmt(mid.externalPerMessage)} bytes; RSS ${fmt(mid.rssPerMessage)}`,
    `one more message (growth from half full to full): heap ${fmt(mid.marginalHeapPerMessage)}, heap + external ${fmt(mid.marginalPerMessage)} bytes = ${(mid.marginalPerMessage / mid.jsonBytes).toFixed(2)}×`,
    `heap+external ${fmt((mid.before.memory.heapUsed + mid.before.memory.external) / MiB)} → ${fmt((mid.after.memory.heapUsed + mid.after.memory.external) / MiB)} MiB (gc ${mid.after.afterGc ? 'forced' : 'not available'})`,
  ];
  const own = (run: MemoryRun) => (run.after.memory.heapUsed + run.after.memory.arrayBuffers - run.before.memory.heapUsed - run.before.memory.arrayBuffers) / run.messages;
  notes.push(`heap + ArrayBuffers only (strings and typed arrays, without other external memory): ${fmt(own(mid))} bytes/message = ${(own(mid) / mid.jsonBytes).toFixed(2)}×; external outside ArrayBuffers grew ${fmt((mid.after.memory.external - mid.after.memory.arrayBuffers - mid.before.memory.external + mid.before.memory.arrayBuffers) / MiB)} MiB`);
  const spread = spreadOf(ratios);
  if (spread && runs.length > 1) notes.push(`${runs.length} runs: ${spread.min.toFixed(2)}–${spread.max.toFixed(2)}${spread.noisy ? ' NOISY' : ''}`);
  let large: MemoryRun | undefined;
  if (memoryScaleDevices > 0) {
    large = await memoryRun(ctx, memoryScaleDevices, memoryScaleHistory);
    const fit = extrapolate(mid, large, 10_000, 1000);
    const heapShare = mid.heapPerMessage / own(mid);
    notes.push(`measured ${fmt(large.devices)} × ${fmt(large.historyLimit)}: ${fmt(large.perMessage)} bytes/message heap+external = ${(large.perMessage / large.jsonBytes).toFixed(2)}× (heap + ArrayBuffers ${(own(large) / large.jsonBytes).toFixed(2)}×)`);
    notes.push(
      `10,000 devices × 1,000: ≈ ${fmt(fit.total / GiB, 1)} GiB heap+external, of which ≈ ${fmt((fit.total * heapShare) / GiB, 1)} GiB V8 heap ` +
        `(extrapolated from measured runs of ${fmt(mid.messages)} and ${fmt(large.messages)} messages: ${fmt(fit.perMessage)} bytes/message + ${fmt(fit.perDevice)} bytes/device)` +
        (fit.total * heapShare > mid.after.heapSizeLimit * 0.8 ? `; set --max-old-space-size above ${fmt(Math.ceil((fit.total * heapShare * 1.25) / MiB))} (default limit here ${fmt(mid.after.heapSizeLimit / GiB, 1)} GiB)` : `; fits V8's default heap limit here (${fmt(mid.after.heapSizeLimit / GiB, 1)} GiB)`),
    );
  }
  return [{
    scenario: 'memory',
    config: `${devices} devices × HISTORY_LIMIT ${fmt(historyLimit)} = ${fmt(mid.messages)} messages`,
    gateway: `${fmt(mid.perMessage)} bytes/message (heap + external)`,
    baseline: `${fmt(mid.jsonBytes)} bytes (one stored message as JSON)`,
    gatewayValue: mid.perMessage,
    baselineValue: mid.jsonBytes,
    unit: 'bytes/message',
    ratio: Math.round(ratio * 100) / 100,
    cpuRatio: null,
    spread: { ratio: runs.length > 1 ? spread : null, cpuRatio: null },
    notes,
    saturated: [],
    processes: { gateway: [], baseline: [] },
    details: { runs, large, ratios },
  }];
}
