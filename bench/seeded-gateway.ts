/**
 * The gateway app (`buildApp`, configured from the environment as `src/server.ts` is) in a bench child, with IPC
 * commands that reach its store through the `TelemetryStore` API: `seed` appends `perDevice` messages to each of
 * `devices` devices (round-robin batches, as ingest writes them), `historyLatency` times `history` queries. Memory is
 * read by the runner from `/proc/<pid>/status`.
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/load-config.js';
import type { TelemetryMessage } from '../src/telemetry/telemetry-message.js';
import { benchDeviceId, telemetryBody } from './lib/bench-devices.js';
import { serveIpc } from './lib/ipc-child.js';

/** `seed` arguments and answer (`tookMs` in MILLISECONDS). */
export interface SeedArgs {
  devices: number;
  perDevice: number;
  /** Devices per `append` batch. */
  batch: number;
}

/** `historyLatency` answer: per-query times in MILLISECONDS. */
export interface HistoryLatency {
  queries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const { config } = await loadConfig(process.env, { dotenvPath: false });
const app = buildApp(config);
await app.ready();
const T0 = Date.UTC(2026, 0, 1);
const PARTITIONS = 4;

function messageOf(device: number, n: number, sequenceNumber: number): TelemetryMessage {
  const deviceId = benchDeviceId(device);
  return {
    deviceId, moduleId: null, enqueuedTime: new Date(T0 + n * 1000).toISOString(), partitionId: String(device % PARTITIONS),
    sequenceNumber, offset: String(sequenceNumber * 512), contentType: 'application/json', contentEncoding: 'utf-8', messageId: null,
    properties: {}, creationTime: null, body: JSON.parse(telemetryBody(deviceId, n)) as unknown, bodyEncoding: 'json',
  };
}

async function seed({ devices, perDevice, batch }: SeedArgs): Promise<{ stored: number; tookMs: number }> {
  const started = performance.now();
  let stored = 0;
  for (let n = 0; n < perDevice; n++) {
    for (let first = 0; first < devices; first += batch) {
      const messages: TelemetryMessage[] = [];
      // Each device of a partition gets the next sequence number of that partition, as the hub would number them.
      for (let d = first; d < Math.min(devices, first + batch); d++) messages.push(messageOf(d, n, n * devices + d));
      stored += (await app.store.append(messages, [])).length;
    }
  }
  return { stored, tookMs: performance.now() - started };
}

async function historyLatency({ devices, queries, limit }: { devices: number; queries: number; limit: number }): Promise<HistoryLatency> {
  const times: number[] = [];
  for (let q = 0; q < queries; q++) {
    const deviceId = benchDeviceId(Math.floor(Math.random() * devices));
    const started = performance.now();
    const items = await app.store.history(deviceId, { limit });
    times.push(performance.now() - started);
    if (items.length !== limit) throw new Error(`history of ${deviceId} held ${items.length} messages, expected ${limit}`);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => Math.round((times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0) * 1000) / 1000;
  return { queries, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

serveIpc({ store: config.store }, { seed: (a: SeedArgs) => seed(a), historyLatency: (a: { devices: number; queries: number; limit: number }) => historyLatency(a) }, () => app.close());
