import { availableParallelism } from 'node:os';
import type { BenchChild } from './bench-child.js';
import type { Spread } from './interleaved.js';
import type { CpuWindow } from './proc-stats.js';

/**
 * What a process was doing in a measurement: the system under test, its baseline, load/emulation around them, or
 * `other`: everything else on the machine (other users' work), which the bench cannot control.
 */
export type ProcessRole = 'gateway' | 'baseline' | 'emulator' | 'load' | 'other';

/** CPU and memory of one process over one measurement. */
export interface ProcessFigure {
  name: string;
  role: ProcessRole;
  /** CPU in the measurement window as a percentage of ONE core (200 = both cores of a 2-core machine). */
  cpuPercentOfCore: number;
  /** CPU time in the window, in MILLISECONDS. */
  cpuMs: number;
  /** Peak RSS of the process so far (`VmHWM`), in MiB; `null` when it could not be read. */
  peakRssMiB: number | null;
}

/** One line of the results table and its details. */
export interface ResultRow {
  scenario: string;
  config: string;
  /** The gateway's figure, formatted with its unit (e.g. `12,345 events/s`). */
  gateway: string;
  /** The baseline's figure, formatted with its unit. */
  baseline: string;
  /** gateway / baseline of the headline numbers (higher is better unless the notes say otherwise). */
  ratio: number | null;
  /** Raw headline numbers and their unit. */
  gatewayValue: number | null;
  baselineValue: number | null;
  unit: string;
  /**
   * The same ratio per CPU-second of the measured process on each side (work ÷ its CPU time): less sensitive than
   * `ratio` to other work on the machine while the process is not saturated; `null` where it does not apply.
   */
  cpuRatio: number | null;
  /** Median, min and max of `ratio` and `cpuRatio` over the interleaved runs (lib/interleaved.ts), when repeated. */
  spread?: { ratio: Spread | null; cpuRatio: Spread | null };
  /** Short remarks: targets, checks, CPU, saturation. */
  notes: string[];
  /** Processes that used ≥ 90% of one core while being load or emulation (the figure is then a lower bound). */
  saturated: string[];
  /** CPU and memory of the processes of each side in its measurement window. */
  processes: { gateway: ProcessFigure[]; baseline: ProcessFigure[] };
  /** Scenario-specific raw figures (latency percentiles, counts, memory). */
  details: Record<string, unknown>;
}

/** A core's share above which a load generator or the emulator counts as saturated, in PERCENT of one core. */
export const SATURATION_PERCENT = 90;

/** The {@link ProcessFigure} of `child` for a finished CPU window. */
export function processFigure(child: BenchChild, role: ProcessRole, window: CpuWindow): ProcessFigure {
  const sample = child.sample();
  return {
    name: child.name,
    role,
    cpuPercentOfCore: Math.round(window.percentOfCore),
    cpuMs: Math.round(window.cpuMs),
    peakRssMiB: sample ? Math.round(sample.peakRssBytes / 1048576) : null,
  };
}

/**
 * Names (with CPU) of load/emulator processes at or above {@link SATURATION_PERCENT} of a core, and the whole machine
 * when all processes together (the `other` figure included) used that share of every core; each prefixed with `side`
 * (e.g. `bare: `) to tell the two sides of a comparison apart.
 */
export function saturatedOf(figures: ProcessFigure[], side = ''): string[] {
  const out = figures
    .filter((f) => (f.role === 'emulator' || f.role === 'load') && f.cpuPercentOfCore >= SATURATION_PERCENT)
    .map((f) => `${side}${f.name} ${f.cpuPercentOfCore}%`);
  const total = figures.reduce((sum, f) => sum + f.cpuPercentOfCore, 0);
  const capacity = availableParallelism() * 100;
  if (total >= (SATURATION_PERCENT / 100) * capacity) out.push(`${side}whole machine ${total}% of ${capacity}%`);
  return out;
}

/** A short CPU/RSS note for the processes of one side, e.g. `gateway 95% · 180 MiB; emulator 30% · 200 MiB`. */
export function cpuNote(figures: ProcessFigure[]): string {
  return figures
    .map((f) => `${f.name} ${f.cpuPercentOfCore}%${f.peakRssMiB === null ? '' : ` · ${f.peakRssMiB} MiB`}`)
    .join('; ');
}

/**
 * The second table printed at the end of a run: per row, each side's processes with CPU in the measurement window
 * (percent of ONE core) and peak RSS (MiB).
 */
export function processTable(rows: ResultRow[]): string {
  const withProcesses = rows.filter((r) => r.processes.gateway.length + r.processes.baseline.length > 0);
  return [
    '| scenario | config | gateway side: CPU % of a core · peak RSS | baseline side: CPU % of a core · peak RSS |',
    '|---|---|---|---|',
    ...withProcesses.map((r) => `| ${r.scenario} | ${r.config} | ${cpuNote(r.processes.gateway)} | ${cpuNote(r.processes.baseline)} |`),
  ].join('\n');
}

/** `n` with thousands separators and at most `digits` decimals. */
export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : String(n);
}

/** `n` and `word`, with an `s` unless `n` is 1: `plural(3, 'client')` → `3 clients`. */
export function plural(n: number, word: string): string {
  return `${fmt(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** gateway / baseline rounded to 2 decimals, or `null` when either is missing or the baseline is 0. */
export function ratioOf(gateway: number | null, baseline: number | null): number | null {
  if (gateway === null || baseline === null || !Number.isFinite(gateway) || !Number.isFinite(baseline) || baseline === 0) return null;
  return Math.round((gateway / baseline) * 100) / 100;
}

/**
 * Work per CPU-second of the first process with `role` in `figures`: `ratePerS` (per SECOND of wall time) divided by
 * the share of a core it used. `null` when it used no measurable CPU.
 */
export function perCpuSecond(ratePerS: number, figures: ProcessFigure[], role: ProcessRole): number | null {
  const figure = figures.find((f) => f.role === role);
  return figure && figure.cpuPercentOfCore > 0 ? ratePerS / (figure.cpuPercentOfCore / 100) : null;
}

/** Fields `cpuRatio` and a note `per CPU-second: <gateway> vs <baseline> <unit> (<ratio>)` for a row. */
export function cpuRatioOf(
  gatewayRate: number, gatewayFigures: ProcessFigure[], baselineRate: number, baselineFigures: ProcessFigure[], unit: string,
): { cpuRatio: number | null; note: string } {
  const g = perCpuSecond(gatewayRate, gatewayFigures, 'gateway');
  const b = perCpuSecond(baselineRate, baselineFigures, 'baseline');
  const cpuRatio = ratioOf(g, b);
  return { cpuRatio, note: g === null || b === null ? 'per CPU-second: n/a' : `per CPU-second: ${fmt(g)} vs ${fmt(b)} ${unit} (${cpuRatio?.toFixed(2)})` };
}

/**
 * The markdown table (scenario, config, gateway, baseline, ratio, notes) printed at the end of a run; the ratio cell
 * also shows the per-CPU-second ratio when there is one, and the min–max of repeated runs, e.g.
 * `0.92 [0.88–0.95] (per CPU 0.86 [0.80–0.90])` (medians).
 */
export function markdownTable(rows: ResultRow[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '| scenario | config | gateway | baseline | ratio | notes |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const notes = [...(r.saturated.length ? [`SATURATED: ${r.saturated.join(', ')}`] : []), ...r.notes].join('; ');
      const range = (s: Spread | null | undefined) => (s && s.runs > 1 ? ` [${s.min.toFixed(2)}–${s.max.toFixed(2)}]` : '');
      const ratio = `${r.ratio === null ? '–' : r.ratio.toFixed(2)}${range(r.spread?.ratio)}${r.cpuRatio === null ? '' : ` (per CPU ${r.cpuRatio.toFixed(2)}${range(r.spread?.cpuRatio)})`}`;
      return `| ${[r.scenario, r.config, r.gateway, r.baseline, ratio, notes].map(cell).join(' | ')} |`;
    }),
  ];
  return lines.join('\n');
}
