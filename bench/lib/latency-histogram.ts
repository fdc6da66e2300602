/** Latency percentiles, in MILLISECONDS. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Sparse histogram: `[latency in MILLISECONDS, count]` pairs, ascending; JSON-able, so processes can merge them. */
export type SparseHistogram = [number, number][];

/**
 * Latencies at 1 ms resolution (0 … 60,000 ms; larger values count as 60,000 ms, negative ones as 0 ms, as the clock
 * is shared and ms-granular). Exact percentiles at that resolution, constant memory whatever the message count.
 */
export class LatencyHistogram {
  private readonly buckets = new Uint32Array(60_001);
  private maxMs = 0;

  /** Records one latency in MILLISECONDS. */
  record(ms: number): void {
    const bucket = Math.min(60_000, Math.max(0, Math.round(ms)));
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
    if (bucket > this.maxMs) this.maxMs = bucket;
  }

  /** Forgets every recorded latency. */
  reset(): void {
    this.buckets.fill(0);
    this.maxMs = 0;
  }

  /** The non-empty buckets. */
  toSparse(): SparseHistogram {
    const out: SparseHistogram = [];
    for (let ms = 0; ms <= this.maxMs; ms++) {
      const n = this.buckets[ms] ?? 0;
      if (n > 0) out.push([ms, n]);
    }
    return out;
  }
}

/** Merges sparse histograms (from several load-client processes) and returns p50, p99 and max in MILLISECONDS. */
export function summarize(histograms: SparseHistogram[]): LatencySummary {
  const merged = new Map<number, number>();
  for (const h of histograms) for (const [ms, n] of h) merged.set(ms, (merged.get(ms) ?? 0) + n);
  const sorted = [...merged.entries()].sort((a, b) => a[0] - b[0]);
  const count = sorted.reduce((sum, [, n]) => sum + n, 0);
  const at = (q: number): number => {
    const rank = Math.ceil(q * count);
    let seen = 0;
    for (const [ms, n] of sorted) if ((seen += n) >= rank) return ms;
    return Number.NaN;
  };
  return { count, p50: at(0.5), p99: at(0.99), max: sorted.at(-1)?.[0] ?? Number.NaN };
}
