import type { AggregateBucket, AggregateFn } from '../schemas/live-messages.js';
import type { AggregateSpec } from './aggregate-spec.js';
import { valueAt, type FieldPath } from './field-path.js';

/** At most this many value keys (fields, array elements) per bucket; further array elements are skipped. */
export const MAX_BUCKET_KEYS = 1024;

interface Stats {
  min: number;
  max: number;
  sum: number;
  count: number;
  first: number;
  last: number;
}

const elementKeys = new WeakMap<FieldPath, string[]>();

/** `path[i]`, built once per path and index (the hot path of live aggregates). */
function elementKey(path: FieldPath, i: number): string {
  let keys = elementKeys.get(path);
  if (!keys) elementKeys.set(path, (keys = []));
  return (keys[i] ??= `${path.text}[${i}]`);
}

/** The start (ms since the epoch) of the bucket holding `timeMs`: buckets are aligned to the epoch, UTC. */
export function bucketStart(timeMs: number, intervalMs: number): number {
  return Math.floor(timeMs / intervalMs) * intervalMs;
}

/**
 * One bucket `[startMs, startMs + intervalMs)` being filled: per value key (a field's path text, or `path[i]` for each
 * element of an array-valued field) the running min, max, sum, count, first and last of its finite numbers;
 * anything else (strings, booleans, null, objects, missing fields) is skipped. Add messages oldest first.
 */
export class BucketAccumulator {
  /** Messages added (whether or not they held a number). */
  count = 0;
  private readonly stats = new Map<string, Stats>();

  constructor(
    readonly spec: AggregateSpec,
    readonly startMs: number,
  ) {}

  /** `startMs + intervalMs`, exclusive. */
  get endMs(): number {
    return this.startMs + this.spec.intervalMs;
  }

  /** Adds one message body. */
  add(body: unknown): void {
    this.count += 1;
    for (const path of this.spec.fields) {
      const value = valueAt(body, path);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length && i < MAX_BUCKET_KEYS; i += 1) this.addNumber(elementKey(path, i), value[i]);
      } else {
        this.addNumber(path.text, value);
      }
    }
  }

  /** The bucket as served: ISO 8601 UTC bounds, the message count, per key and function a number. */
  result(): AggregateBucket {
    const values: Record<string, Record<string, number>> = {};
    for (const [key, s] of this.stats) {
      const out: Partial<Record<AggregateFn, number>> = {};
      for (const fn of this.spec.fn) out[fn] = fn === 'avg' ? s.sum / s.count : s[fn];
      values[key] = out;
    }
    return { start: new Date(this.startMs).toISOString(), end: new Date(this.endMs).toISOString(), count: this.count, values };
  }

  private addNumber(key: string, value: unknown): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    const s = this.stats.get(key);
    if (s) {
      if (value < s.min) s.min = value;
      if (value > s.max) s.max = value;
      s.sum += value;
      s.count += 1;
      s.last = value;
    } else if (this.stats.size < MAX_BUCKET_KEYS) {
      this.stats.set(key, { min: value, max: value, sum: value, count: 1, first: value, last: value });
    }
  }
}

/** A message as aggregates read it: its enqueued time (ms since the epoch) and body. */
export interface TimedBody {
  timeMs: number;
  body: unknown;
}

/**
 * The buckets of a series, oldest first, empty buckets omitted. Within a bucket `first`/`last` follow the series
 * order (give it oldest first). Pure.
 */
export function aggregateSeries(series: Iterable<TimedBody>, spec: AggregateSpec): AggregateBucket[] {
  const buckets = new Map<number, BucketAccumulator>();
  for (const { timeMs, body } of series) {
    const start = bucketStart(timeMs, spec.intervalMs);
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = new BucketAccumulator(spec, start)));
    bucket.add(body);
  }
  return [...buckets.values()].sort((a, b) => a.startMs - b.startMs).map((bucket) => bucket.result());
}
