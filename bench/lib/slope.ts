/** One memory sample of the soak: time since the traffic started (SECONDS) and sizes in BYTES. */
export interface MemorySample {
  atS: number;
  heapUsedBytes: number;
  rssBytes: number;
}

/**
 * Least-squares slope of `y` over `x` (units of y per unit of x); `null` with fewer than 2 points or no spread in x.
 */
export function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number | null {
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  }
  return sxx === 0 ? null : sxy / sxx;
}

/** Slope in MiB per MINUTE of one field over the samples taken at or after `fromS` seconds. */
export function mibPerMinute(samples: readonly MemorySample[], fromS: number, field: 'heapUsedBytes' | 'rssBytes'): number | null {
  const slope = leastSquaresSlope(samples.filter((s) => s.atS >= fromS).map((s) => [s.atS / 60, s[field] / 1048576] as const));
  return slope === null ? null : Math.round(slope * 1000) / 1000;
}
