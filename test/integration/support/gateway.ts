import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../../src/app.js';
import type { GatewayConfig } from '../../../src/config/gateway-config.js';
import { createLogger, type LogFormat } from '../../../src/plugins/logger.js';
import type { TelemetryMessage } from '../../../src/telemetry/telemetry-message.js';

/** The API key the test gateways use unless a test says otherwise. */
export const TEST_API_KEY = 'TestKey0123456789abcdefX';

/** A fresh temporary STATE_DIR; removed by {@link removeDir}. */
export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'gateway-test-'));
}

/** Removes a directory made by {@link tempStateDir}. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A complete GatewayConfig with test defaults (no hub, port 0, a temp STATE_DIR) and `overrides`. */
export function testConfig(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    connectionString: null, consumerGroup: '$Default', defaultDeviceId: null, inactivityTimeoutS: 3600,
    apiKey: TEST_API_KEY, port: 0, host: '127.0.0.1', startPosition: 'latest', historyLimit: 1000,
    stateDir: overrides.stateDir ?? tempStateDir(), logLevel: 'info', logFormat: 'json', allowUnauthenticatedRemote: false,
    corsOrigins: [], wsHeartbeatIntervalS: 30, wsMaxQueue: 1000, wsSlowClientTimeoutS: 10, wsMaxSubscriptions: 100,
    wsMaxConnections: 10000, sseHeartbeatIntervalS: 15, wsMaxPendingAuth: 100, wsAuthTimeoutS: 2,
    allowedHosts: ['localhost', '127.0.0.1', '::1'], authFailLimit: 20, authFailWindowS: 60, hubProbeIntervalS: 5,
    hubStallTimeoutS: 10, store: 'memory', redisUrl: null, redisPassword: null, partitionBalancing: 'greedy',
    partitionClaimIntervalS: 2, partitionOwnershipExpiryS: 10, hubRediscoverAfterS: 60, hubTransport: 'amqp',
    hubCaPem: null, httpsProxy: null, noProxy: [], checkpointStore: 'store', azureStorageConnectionString: null,
    checkpointContainer: 'gateway-checkpoints', hubEventsLimit: 100, aggregateGraceS: 2, maxInflatedBody: 1_048_576,
    protoFile: null, protoTypeProperty: 'messageType', maxPatternDevices: 1000,
    ...overrides,
  };
}

/** A pino logger (with the gateway's redaction, JSON or pretty lines) whose lines are collected in `lines`. */
export function captureLogger(level = 'info', format: LogFormat = 'json'): { logger: FastifyBaseLogger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, sink, format), lines };
}

/** A gateway listening on a free port. */
export interface RunningGateway {
  app: FastifyInstance;
  url: string;
  config: GatewayConfig;
  lines: string[];
  /** `fetch` relative to the gateway's URL with the test key in `X-API-Key` (unless `headers` override it). */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Builds the real app, listens on 127.0.0.1 port 0, and returns helpers. */
export async function startGateway(config: GatewayConfig, deps: Omit<AppDeps, 'logger'> = {}): Promise<RunningGateway> {
  const { logger, lines } = captureLogger(config.logLevel, config.logFormat ?? 'json');
  const app = buildApp(config, { sweepIntervalMs: 200, ...deps, logger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app, url, config, lines,
    api: (path, init = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { 'x-api-key': config.apiKey ?? '', ...(init.headers as Record<string, string>) } }),
    close: () => app.close(),
  };
}

/** A device as `GET /api/devices` lists it. */
export interface DeviceSummary {
  deviceId: string;
  registeredAt: string;
  lastSeen: string | null;
  status: string;
  isConnected: boolean;
  /** Field path → unit; `{}` when the registration has none. */
  units: Record<string, string>;
  /** The hub's connection state of the device; `null` until it reports one. */
  connectionState: 'connected' | 'disconnected' | null;
  connectionStateUpdatedAt: string | null;
}

/** The union of the gateway's JSON answers, loosely typed for assertions. */
export interface ApiBody {
  error?: string;
  message?: string;
  deviceId?: string;
  status?: string;
  devices?: DeviceSummary[];
  defaultDevice?: string | null;
  items?: TelemetryMessage[];
  timestamp?: string | null;
  isConnected?: boolean;
  [key: string]: unknown;
}

/** `fetch` JSON helper: returns status and parsed body. */
export async function json(response: Promise<Response> | Response): Promise<{ status: number; body: ApiBody }> {
  const r = await response;
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : {}) as ApiBody };
}

/** Every message the app's store holds for a device, oldest first. */
export async function storedHistory(app: FastifyInstance, deviceId: string): Promise<TelemetryMessage[]> {
  return (await app.store.history(deviceId, { limit: Number.MAX_SAFE_INTEGER })).reverse();
}
