import { fmt, perCpuSecond, type ProcessFigure } from './results.js';

/** A spread wider than this share of its median marks a figure as noisy: (max − min) / median > 0.2. */
export const NOISY_SPREAD = 0.2;

/** Median, minimum and maximum of one figure over the repeated runs of a comparison. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Values the figure is taken from (one per pair of runs). */
  runs: number;
  /** (max − min) / median > {@link NOISY_SPREAD}. */
  noisy: boolean;
}

/** The median of `values` (the mean of the two middle ones for an even count). @throws Error on an empty list. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The {@link Spread} of the finite values of `values`, rounded to 2 decimals; `null` when none is finite. */
export function spreadOf(values: Array<number | null>): Spread | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return null;
  const m = median(finite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { median: round(m), min: round(min), max: round(max), runs: finite.length, noisy: m > 0 && (max - min) / m > NOISY_SPREAD };
}

/**
 * Runs both sides of a comparison `repeats` times, interleaved: pair r runs the gateway first when `(offset + r)` is
 * even, the baseline first otherwise, so that a drift in machine load favours neither side. Runs are sequential.
 * @throws whatever a run throws (the remaining runs are skipped).
 */
export async function interleavedRuns<G, B>(
  repeats: number, offset: number, runGateway: () => Promise<G>, runBaseline: () => Promise<B>,
): Promise<{ gateway: G[]; baseline: B[] }> {
  const gateway: G[] = [];
  const baseline: B[] = [];
  for (let r = 0; r < repeats; r++) {
    if ((offset + r) % 2 === 0) {
      gateway.push(await runGateway());
      baseline.push(await runBaseline());
    } else {
      baseline.push(await runBaseline());
      gateway.push(await runGateway());
    }
  }
  return { gateway, baseline };
}

/** What {@link compareRuns} derives from the paired runs of a comparison. */
export interface Comparison<G, B> {
  /** Median of the per-pair ratios gateway rate ÷ baseline rate (pair r = the r-th run of each side). */
  ratio: number | null;
  /** Median of the per-pair ratios of work per CPU-second of each side's measured process. */
  cpuRatio: number | null;
  spread: { ratio: Spread | null; cpuRatio: Spread | null };
  /** The run of each side with its median rate (for the figures printed beside the ratio). */
  gatewayMedian: G;
  baselineMedian: B;
  /** Notes for the row: per-CPU figures, the spread, and `NOISY` when a spread is wider than 20 %. */
  notes: string[];
}

/**
 * Pairs the r-th gateway run with the r-th baseline run and takes the median of their ratios, of rates (`rate`, per
 * SECOND) and of rates per CPU-second of the process with role `gateway` / `baseline` in `processes`.
 * @throws Error when the sides have different or zero run counts.
 */
export function compareRuns<G, B>(
  gateway: G[], baseline: B[], rate: { gateway: (run: G) => number; baseline: (run: B) => number },
  processes: { gateway: (run: G) => ProcessFigure[]; baseline: (run: B) => ProcessFigure[] }, unit: string,
): Comparison<G, B> {
  if (gateway.length === 0 || gateway.length !== baseline.length) throw new Error(`unpaired runs: ${gateway.length} vs ${baseline.length}`);
  const ratios = gateway.map((g, i) => ratio(rate.gateway(g), rate.baseline(baseline[i] as B)));
  const gCpu = gateway.map((g) => perCpuSecond(rate.gateway(g), processes.gateway(g), 'gateway'));
  const bCpu = baseline.map((b) => perCpuSecond(rate.baseline(b), processes.baseline(b), 'baseline'));
  const cpuRatios = gCpu.map((g, i) => (g === null ? null : ratio(g, bCpu[i] ?? null)));
  const spread = { ratio: spreadOf(ratios), cpuRatio: spreadOf(cpuRatios) };
  const medianRun = <R>(runs: R[], of: (run: R) => number): R => {
    const m = median(runs.map(of));
    return runs.reduce((best, run) => (Math.abs(of(run) - m) < Math.abs(of(best) - m) ? run : best));
  };
  const perCpu = (values: Array<number | null>) => {
    const finite = values.filter((v): v is number => v !== null);
    return finite.length ? fmt(median(finite)) : 'n/a';
  };
  const notes = [
    `per CPU-second: ${perCpu(gCpu)} vs ${perCpu(bCpu)} ${unit} (median)`,
    ...(gateway.length > 1 ? [`${gateway.length} interleaved runs a side: ratio ${rangeText(spread.ratio)}, per CPU ${rangeText(spread.cpuRatio)}`] : []),
    ...(spread.ratio?.noisy || spread.cpuRatio?.noisy ? [`NOISY (spread > ${NOISY_SPREAD * 100} % of the median)`] : []),
  ];
  return {
    ratio: spread.ratio?.median ?? null,
    cpuRatio: spread.cpuRatio?.median ?? null,
    spread,
    gatewayMedian: medianRun(gateway, rate.gateway),
    baselineMedian: medianRun(baseline, rate.baseline),
    notes,
  };
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : a / b;
}

/** `min–max` of a spread, e.g. `0.88–0.95`, or `n/a`. */
export function rangeText(spread: Spread | null): string {
  return spread ? `${spread.min.toFixed(2)}–${spread.max.toFixed(2)}` : 'n/a';
}
