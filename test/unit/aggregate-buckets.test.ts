import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateSeries, bucketStart, type TimedBody } from '../../src/telemetry/aggregate-buckets.js';
import { AggregateSpecError, aggregateSpec, formatInterval, parseFnList, parseInterval } from '../../src/telemetry/aggregate-spec.js';
import { parseFieldList } from '../../src/telemetry/field-path.js';

const spec = (interval: string, fields = 'v,a', fn = 'min,max,avg,sum,count,first,last') => aggregateSpec(interval, parseFieldList(fields), fn);

/** The naive computation: group by floor(t / interval), then the statistics of each key's numbers. */
function naive(series: TimedBody[], intervalMs: number): Map<number, { count: number; values: Map<string, number[]> }> {
  const out = new Map<number, { count: number; values: Map<string, number[]> }>();
  for (const { timeMs, body } of series) {
    const start = timeMs - (((timeMs % intervalMs) + intervalMs) % intervalMs);
    const bucket = out.get(start) ?? { count: 0, values: new Map<string, number[]>() };
    out.set(start, bucket);
    bucket.count += 1;
    const b = body as { v?: unknown; a?: unknown };
    const push = (key: string, x: unknown): void => {
      if (typeof x === 'number' && Number.isFinite(x)) bucket.values.set(key, [...(bucket.values.get(key) ?? []), x]);
    };
    push('v', b.v);
    if (Array.isArray(b.a)) b.a.forEach((x: unknown, i) => push(`a[${i}]`, x));
    else push('a', b.a);
  }
  return out;
}

const value = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.string(), fc.boolean(), fc.constant(null));
const body = fc.record({ v: value, a: fc.oneof(value, fc.array(value, { maxLength: 4 })) }, { requiredKeys: [] });

describe('aggregate buckets', () => {
  it('agrees with a naive grouping for every function, oldest first, empty buckets omitted', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ timeMs: fc.integer({ min: -1e9, max: 1e12 }), body }), { maxLength: 60 }),
      fc.constantFrom('1s', 'PT10S', '1m', 'PT1H', 'P1D'),
      (unsorted, interval) => {
        const series = [...unsorted].sort((x, y) => x.timeMs - y.timeMs);
        const s = spec(interval);
        const buckets = aggregateSeries(series, s);
        const expected = naive(series, s.intervalMs);
        expect(buckets.map((b) => Date.parse(b.start))).toEqual([...expected.keys()].sort((x, y) => x - y));
        for (const bucket of buckets) {
          const want = expected.get(Date.parse(bucket.start))!;
          expect(Date.parse(bucket.end) - Date.parse(bucket.start)).toBe(s.intervalMs);
          expect(bucket.count).toBe(want.count);
          expect(Object.keys(bucket.values).sort()).toEqual([...want.values.keys()].sort());
          for (const [key, xs] of want.values) {
            const sum = xs.reduce((p, x) => p + x);
            expect(bucket.values[key]).toEqual({
              min: Math.min(...xs), max: Math.max(...xs), sum, avg: sum / xs.length, count: xs.length, first: xs[0], last: xs.at(-1),
            });
          }
        }
      },
    ));
  });

  it('aligns buckets to the epoch in UTC', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e13 }), fc.integer({ min: 1000, max: 86_400_000 }), (t, i) => {
      const start = bucketStart(t, i);
      expect(Math.abs(start % i)).toBe(0);
      expect(start <= t && t < start + i).toBe(true);
    }));
    expect(aggregateSeries([{ timeMs: Date.UTC(2026, 0, 1, 12, 34, 56), body: { v: 1 } }], spec('1h'))[0]).toMatchObject({
      start: '2026-01-01T12:00:00.000Z', end: '2026-01-01T13:00:00.000Z', count: 1,
    });
  });

  it('answers only the functions asked, for numbers only', () => {
    const [bucket] = aggregateSeries([{ timeMs: 0, body: { v: 2, a: 'x' } }, { timeMs: 1, body: { v: 4 } }], spec('1m', 'v,a', 'count,avg'));
    expect(bucket).toEqual({ start: '1970-01-01T00:00:00.000Z', end: '1970-01-01T00:01:00.000Z', count: 2, values: { v: { avg: 3, count: 2 } } });
  });
});

describe('aggregate spec', () => {
  it('parses intervals to ms and spells them canonically', () => {
    expect(parseInterval('10s')).toBe(10_000);
    expect(parseInterval('1m')).toBe(60_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('PT1M')).toBe(60_000);
    expect(parseInterval('PT10S')).toBe(10_000);
    expect(parseInterval('P1D')).toBe(86_400_000);
    expect(parseInterval('P1W')).toBe(7 * 86_400_000);
    expect(parseInterval('PT1.5S')).toBe(1500);
    expect(formatInterval(60_000)).toBe('PT1M');
    expect(formatInterval(86_400_000 + 1500)).toBe('P1DT1.5S');
    expect(spec('1m').interval).toBe('PT1M');
    expect(spec('1m').key).toBe(spec('PT60S').key);
  });

  it('refuses years, months, malformed, too short and negative intervals', () => {
    for (const bad of ['P1Y', 'P1M', 'P1Y2D', 'soon', '', '1x', 'PT0.5S', 'PT0S', '-PT1M', 'PT1.0001S', 'P400D']) {
      expect(() => parseInterval(bad), bad).toThrow(AggregateSpecError);
    }
  });

  it('parses functions into canonical order and refuses unknown ones', () => {
    expect(parseFnList('last,min,min')).toEqual(['min', 'last']);
    expect(parseFnList(['avg', 'count'])).toEqual(['avg', 'count']);
    expect(() => parseFnList('median')).toThrow(AggregateSpecError);
    expect(() => parseFnList('')).toThrow(AggregateSpecError);
  });
});
