import { describe, expect, it } from 'vitest';
import { compareRuns, interleavedRuns, median, spreadOf } from '../../../bench/lib/interleaved.js';
import type { ProcessFigure } from '../../../bench/lib/results.js';

const figure = (role: 'gateway' | 'baseline', cpuPercentOfCore: number): ProcessFigure => ({ name: role, role, cpuPercentOfCore, cpuMs: 0, peakRssMiB: null });

describe('interleaved bench runs', () => {
  it('takes the median of an odd and an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('marks a spread wider than 20 % of the median as noisy', () => {
    expect(spreadOf([1, 1.1, 0.95])).toEqual({ median: 1, min: 0.95, max: 1.1, runs: 3, noisy: false });
    expect(spreadOf([1, 1.25, 0.9])?.noisy).toBe(true);
    expect(spreadOf([null, Number.NaN])).toBeNull();
  });

  it('alternates which side runs first from pair to pair', async () => {
    const order: string[] = [];
    const runs = await interleavedRuns(3, 1, () => Promise.resolve(order.push('g')), () => Promise.resolve(order.push('b')));
    expect(order).toEqual(['b', 'g', 'g', 'b', 'b', 'g']);
    expect(runs.gateway).toHaveLength(3);
  });

  it('pairs runs and reports the median ratio, its range and the per-CPU ratio', () => {
    const g = [{ r: 90, cpu: 100 }, { r: 80, cpu: 100 }, { r: 100, cpu: 50 }];
    const b = [{ r: 100, cpu: 100 }, { r: 100, cpu: 100 }, { r: 100, cpu: 100 }];
    const c = compareRuns(g, b, { gateway: (x) => x.r, baseline: (x) => x.r }, {
      gateway: (x) => [figure('gateway', x.cpu)], baseline: (x) => [figure('baseline', x.cpu)],
    }, 'events');
    expect(c.ratio).toBe(0.9);
    expect(c.spread.ratio).toEqual({ median: 0.9, min: 0.8, max: 1, runs: 3, noisy: true });
    expect(c.cpuRatio).toBe(0.9);
    expect(c.spread.cpuRatio?.max).toBe(2);
    expect(c.gatewayMedian).toBe(g[0]);
    expect(c.notes.some((n) => n.startsWith('NOISY'))).toBe(true);
    expect(() => compareRuns([1], [], { gateway: Number, baseline: Number }, { gateway: () => [], baseline: () => [] }, 'x')).toThrow();
  });
});
