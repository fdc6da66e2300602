/**
 * The part of autocannon 8's API the bench uses (autocannon ships no types; see its README "API" section).
 * Latencies are in MILLISECONDS, durations in SECONDS.
 */
declare module 'autocannon' {
  interface Histogram {
    average: number;
    max: number;
    total: number;
    p50: number;
    p99: number;
  }
  interface Options {
    url: string;
    headers?: Record<string, string>;
    connections?: number;
    duration?: number;
    pipelining?: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
