import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchChild } from './bench-child.js';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';
import { readSample } from './prometheus-text.js';
import { REPO_ROOT } from './repo-root.js';

let built: Promise<void> | undefined;

/**
 * Compiles the gateway to `dist/` once per bench process (`tsc -b tsconfig.build.json`, incremental: quick when it
 * is fresh), so the bench runs what `npm start` runs.
 * @throws Error with tsc's output when the build fails.
 */
export function buildGateway(): Promise<void> {
  built ??= new Promise<void>((resolve, reject) => {
    execFile(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json'], { cwd: REPO_ROOT, timeout: 300_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`npm run build failed: ${stdout}${stderr}`)) : resolve()));
  });
  return built;
}

/** The fixed API key of bench runs (not a secret: the gateway only listens on 127.0.0.1 during the bench). */
export const BENCH_API_KEY = 'benchKey0123456789abcdefghij';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  /** Name in logs and results (default `gateway`). */
  name?: string;
  connectionString: string;
  consumerGroup: string;
  /** Devices registered at start, written to `STATE_DIR/registrations.json` before the gateway starts. */
  deviceIds: string[];
  startPosition: 'earliest' | 'latest';
  logDir: string;
  /** More environment (e.g. `HISTORY_LIMIT`, `WS_MAX_CONNECTIONS`). */
  env?: Record<string, string>;
  /** More `node` flags (e.g. `--cpu-prof`, `--cpu-prof-dir=...`). */
  nodeFlags?: string[];
}

/** A running gateway child process (compiled `dist/server.js`, `LOG_LEVEL=warn`) and how to read it. */
export interface GatewayProcess {
  child: BenchChild;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** `GET /metrics` text. @throws Error on a non-200 answer. */
  metrics(): Promise<string>;
  /** `gateway_events_received_total` and `gateway_events_stored_total`. */
  counts(): Promise<{ received: number; stored: number }>;
  /** Stops the gateway with SIGTERM (its ordered shutdown) and removes its state directory. */
  stop(): Promise<void>;
}

/**
 * Builds the gateway ({@link buildGateway}) and starts `dist/server.js` as a child process (plain node, as `npm start`)
 * with a fresh `STATE_DIR`, the bench API key, `INACTIVITY_TIMEOUT=0` and the given devices registered, preloading
 * bench/gateway-probe.ts (heap, CPU profiles over IPC) through bench/gateway-probe-preload.mjs, and waits until `GET /healthz` answers
 * 200 and `GET /api/devices` lists every device.
 * @throws Error when the gateway does not come up within 60 s (its log file is named).
 */
export async function startGateway(options: GatewayOptions): Promise<GatewayProcess> {
  await buildGateway();
  const stateDir = await mkdtemp(join(tmpdir(), 'gateway-bench-state-'));
  const registeredAt = new Date().toISOString();
  const devices = options.deviceIds.map((deviceId) => ({ deviceId, registeredAt }));
  await writeFile(join(stateDir, 'registrations.json'), `${JSON.stringify({ devices })}\n`, { mode: 0o600 });
  const port = await freePort();
  const child = await BenchChild.start({
    name: options.name ?? 'gateway',
    script: 'dist/server.js',
    tsx: false,
    logDir: options.logDir,
    waitForReady: false,
    redact: [BENCH_API_KEY],
    nodeFlags: ['--expose-gc', '--import', './bench/gateway-probe-preload.mjs', ...(options.nodeFlags ?? [])],
    env: {
      EVENTHUB_CONNECTION_STRING: options.connectionString,
      CONSUMER_GROUP: options.consumerGroup,
      START_POSITION: options.startPosition,
      LOG_LEVEL: 'warn',
      API_KEY: BENCH_API_KEY,
      STATE_DIR: stateDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      INACTIVITY_TIMEOUT: '0',
      ...options.env,
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const metrics = async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
    return response.text();
  };
  const stop = async () => {
    await child.stop('signal');
    await rm(stateDir, { recursive: true, force: true });
  };
  try {
    await eventually(async () => {
      const response = await fetch(`${baseUrl}/api/devices`, { headers: { 'X-API-Key': BENCH_API_KEY } });
      const body = (await response.json()) as { devices?: unknown[] };
      if (body.devices?.length !== options.deviceIds.length) {
        throw new Error(`gateway lists ${body.devices?.length} devices, expected ${options.deviceIds.length}`);
      }
    }, 60_000, 200);
  } catch (error) {
    await stop();
    throw new Error(`gateway did not come up: ${(error as Error).message}; see ${child.logFile}`);
  }
  return {
    child,
    baseUrl,
    metrics,
    counts: async () => {
      const text = await metrics();
      return {
        received: readSample(text, 'gateway_events_received_total') ?? 0,
        stored: readSample(text, 'gateway_events_stored_total') ?? 0,
      };
    },
    stop,
  };
}
