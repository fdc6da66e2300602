import { parse, serialize } from 'tinyduration';
import type { AggregateFn } from '../schemas/live-messages.js';
import { parseFieldList, type FieldPath } from './field-path.js';

/** The aggregate functions, in their canonical order. */
export const AGGREGATE_FNS: readonly AggregateFn[] = ['min', 'max', 'avg', 'sum', 'count', 'first', 'last'];
/** The shortest interval, in ms (1 s). */
export const MIN_INTERVAL_MS = 1_000;
/** The longest interval, in ms (366 days). */
export const MAX_INTERVAL_MS = 366 * 86_400_000;

/** An aggregate request that is not valid (interval, functions or fields); `message` says why (a 400 or `bad_request`). */
export class AggregateSpecError extends Error {
  override readonly name = 'AggregateSpecError';
}

/**
 * What to aggregate: fixed-length buckets of `intervalMs` ms aligned to the Unix epoch (UTC), numeric `fields`,
 * functions `fn` (canonical order, no duplicates). `interval` is the canonical ISO 8601 spelling (`PT1M`), `key` the
 * canonical spec (equal specs share one live aggregator).
 */
export interface AggregateSpec {
  interval: string;
  intervalMs: number;
  fields: readonly FieldPath[];
  fn: readonly AggregateFn[];
  key: string;
}

const SHORT = /^(\d{1,9})(s|m|h|d)$/;
const SHORT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses an interval: `10s` / `1m` / `1h` / `1d`, or a fixed-length ISO 8601 duration (weeks, days, hours, minutes,
 * seconds; parsed by tinyduration). Returns whole milliseconds.
 * @throws AggregateSpecError for years or months (not fixed length), a negative, fractional-ms or malformed duration,
 *   or one outside {@link MIN_INTERVAL_MS}…{@link MAX_INTERVAL_MS}.
 */
export function parseInterval(text: string): number {
  const short = SHORT.exec(text.trim());
  let ms: number;
  if (short) {
    ms = Number(short[1]) * SHORT_MS[short[2] as keyof typeof SHORT_MS];
  } else {
    let d;
    try {
      d = parse(text.trim());
    } catch {
      throw new AggregateSpecError(`interval "${text.slice(0, 40)}" is not an ISO 8601 duration (PT1M) nor 10s / 1m / 1h`);
    }
    if (d.negative) throw new AggregateSpecError('interval must be positive');
    if (d.years || d.months) throw new AggregateSpecError('interval must have a fixed length: no years or months (use days, P30D)');
    ms = ((d.weeks ?? 0) * 7 * 86_400 + (d.days ?? 0) * 86_400 + (d.hours ?? 0) * 3_600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0)) * 1000;
  }
  if (!Number.isInteger(ms)) throw new AggregateSpecError('interval must be a whole number of milliseconds');
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) throw new AggregateSpecError('interval must be between 1 s (PT1S) and 366 days (P366D)');
  return ms;
}

/** The canonical ISO 8601 spelling of an interval in ms (`60000` → `PT1M`, `86400000` → `P1D`), by tinyduration. */
export function formatInterval(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return serialize({ ...(days ? { days } : {}), ...(hours ? { hours } : {}), ...(minutes ? { minutes } : {}), ...(seconds ? { seconds } : {}) });
}

/**
 * Parses a comma list (`min,max`) or array of aggregate functions into canonical order.
 * @throws AggregateSpecError for an empty list or an unknown function.
 */
export function parseFnList(list: string | readonly string[]): AggregateFn[] {
  const names = (typeof list === 'string' ? list.split(',') : list).map((name) => name.trim());
  if (names.length === 0 || names.every((name) => name === '')) throw new AggregateSpecError('fn is empty');
  for (const name of names) {
    if (!(AGGREGATE_FNS as readonly string[]).includes(name)) {
      throw new AggregateSpecError(`unknown aggregate function "${name.slice(0, 40)}" (one of ${AGGREGATE_FNS.join(', ')})`);
    }
  }
  return AGGREGATE_FNS.filter((fn) => names.includes(fn));
}

/**
 * A spec from its parts (interval text, parsed fields, function names).
 * @throws AggregateSpecError as {@link parseInterval} and {@link parseFnList} do.
 */
export function aggregateSpec(interval: string, fields: readonly FieldPath[], fn: string | readonly string[]): AggregateSpec {
  const intervalMs = parseInterval(interval);
  const fns = parseFnList(fn);
  return { interval: formatInterval(intervalMs), intervalMs, fields, fn: fns, key: `${intervalMs}|${fns.join(',')}|${fields.map((f) => f.text).join(',')}` };
}

/**
 * A spec from query parameters (`interval`, `fields`, `fn`; `fn` defaults to `avg`).
 * @throws AggregateSpecError as {@link aggregateSpec}, or FieldPathError for `fields`.
 */
export function aggregateSpecFromQuery(query: { interval: string; fields: string; fn?: string | undefined }): AggregateSpec {
  return aggregateSpec(query.interval, parseFieldList(query.fields), query.fn ?? 'avg');
}
