import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The key every browser test gateway runs with. */
export const API_KEY = 'BrowserTestKey0123456789';

/** A gateway started as `npm start` does (`src/server.ts` in its own process). */
export interface GatewayProcess {
  url: string;
  stateDir: string;
  /** Everything the process printed on stdout so far. */
  output(): string;
  /** SIGTERM, resolves when it exited (idempotent). */
  stop(): Promise<void>;
  /** Starts it again on the same port and STATE_DIR with the same environment. */
  restart(): Promise<void>;
  /** Stops it and removes its STATE_DIR. */
  dispose(): Promise<void>;
}

/**
 * Starts the gateway on a free port with `env` over the test defaults (demo mode: EVENTHUB_CONNECTION_STRING empty,
 * even with a .env; LOG_LEVEL warn). Resolves once the banner printed its URL; rejects if the process exits first.
 */
export async function startGateway(env: Record<string, string> = {}): Promise<GatewayProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), 'gateway-browser-'));
  let port = 0;
  let child: ChildProcess;
  let out = '';
  const launch = () =>
    new Promise<string>((resolve, reject) => {
      child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        env: { ...process.env, EVENTHUB_CONNECTION_STRING: '', API_KEY, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: String(port), STATE_DIR: stateDir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /URL:\s+(http:\/\/\S+)/.exec(out.slice(out.lastIndexOf('IoT Hub telemetry gateway')));
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${out}`)));
    });
  const url = await launch();
  port = Number(new URL(url).port);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return {
    url, stateDir, stop,
    output: () => out,
    restart: async () => {
      await stop();
      await launch();
    },
    dispose: async () => {
      await stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export { freePort as closedPort } from '../../support/free-port.js';

/** One stored message as the history API returns it (the fields these tests read). */
export interface HistoryItem {
  deviceId: string;
  partitionId: string;
  sequenceNumber: number;
  enqueuedTime: string;
  body: Record<string, number>;
}

/** Calls the gateway's REST API with the key; resolves to status and JSON body (typed by the caller). */
export async function gatewayApi<T = unknown>(url: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, url), {
    ...init, headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json', ...init.headers }, signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as T };
}

/** The device's held history, newest first (up to 1000). */
export async function historyOf(url: string, deviceId: string): Promise<HistoryItem[]> {
  return (await gatewayApi<{ items: HistoryItem[] }>(url, `/api/devices/${encodeURIComponent(deviceId)}/telemetry?limit=1000`)).body.items;
}

/** The registered devices' IDs, in the API's order. */
export async function registeredIds(url: string): Promise<string[]> {
  return (await gatewayApi<{ devices: { deviceId: string }[] }>(url, '/api/devices')).body.devices.map((d) => d.deviceId);
}
