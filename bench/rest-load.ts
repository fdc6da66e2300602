/**
 * REST load generator in its own process: autocannon (as a library) against one URL. Command over IPC: `run`.
 */
import autocannon from 'autocannon';
import { serveIpc } from './lib/ipc-child.js';

/** `run` arguments. Duration in SECONDS. */
export interface RestLoadArgs {
  url: string;
  /** Request headers (e.g. `X-API-Key`; never logged). */
  headers: Record<string, string>;
  connections: number;
  durationS: number;
}

/** `run` answer. Latencies in MILLISECONDS. */
export interface RestLoadResult {
  requestsPerS: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function run({ url, headers, connections, durationS }: RestLoadArgs): Promise<RestLoadResult> {
  const result = await autocannon({ url, headers, connections, duration: durationS, pipelining: 1 });
  return {
    requestsPerS: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

serveIpc({}, { run: (args: RestLoadArgs) => run(args) });
