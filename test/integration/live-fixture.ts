import type { Clock } from '../../src/config/clock.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { startEmulator, type Emulator, type SendResult } from '../../src/emulator/index.js';
import { WsClient, SseClient } from './live-clients.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';

/** A gateway on a fresh emulator, with devices registered and the consumer reading, plus client bookkeeping. */
export interface LiveFixture {
  gw: RunningGateway;
  emulator: Emulator;
  /** `ws://…/api/ws` (no key). */
  wsUrl: string;
  /** Opens a WebSocket (closed by `close()`); `key` adds `?api_key=`, `query` more parameters (`batch=true`). */
  ws(options?: { key?: string; origin?: string; autoPong?: boolean; query?: string }): Promise<WsClient>;
  /** Opens an SSE stream for a device (closed by `close()`); `headers` default to the test key. */
  sse(deviceId: string, headers?: Record<string, string>, query?: string): Promise<SseClient>;
  /** Sends each body as `deviceId`, one after another; returns where each landed. */
  send(deviceId: string, bodies: readonly unknown[]): Promise<SendResult[]>;
  /** Waits until every given device is `registered` (the consumer reads every partition for it). */
  waitRegistered(deviceIds: readonly string[]): Promise<void>;
  /** `status` of a device as `GET /api/devices` reports it (not activity). */
  statusOf(deviceId: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** `<partitionId>:<sequenceNumber>` of a send result. */
export const positionOfResult = (r: SendResult): string => `${r.partitionId}:${r.sequenceNumber}`;

/**
 * Starts the emulator and the real gateway on it (`testConfig` + `overrides`), registers `deviceIds` and, unless
 * `waitRegistered` is false (short INACTIVITY_TIMEOUT tests, where a device may turn inactive first), waits until
 * they are `registered`. `enqueuedTimes` is the emulator's clock of enqueued times (default `Date.now`).
 */
export async function startLiveFixture(
  overrides: Partial<GatewayConfig> = {},
  deviceIds: readonly string[] = ['dev-1'],
  options: { waitRegistered?: boolean; clock?: Clock; enqueuedTimes?: () => number } = {},
): Promise<LiveFixture> {
  const emulator = await startEmulator(options.enqueuedTimes ? { now: options.enqueuedTimes } : {});
  const gw = await startGateway(testConfig({ connectionString: emulator.connectionString, logLevel: 'warn', ...overrides }), {
    initialDeviceIds: deviceIds,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const wsUrl = `${gw.url.replace(/^http/, 'ws')}/api/ws`;
  const clients: Array<{ close(): void }> = [];
  const statusOf = async (deviceId: string): Promise<string | undefined> =>
    (await json(gw.api('/api/devices'))).body.devices?.find((d) => d.deviceId === deviceId)?.status;
  const fixture: LiveFixture = {
    gw, emulator, wsUrl,
    async ws(options = {}) {
      const params = [options.key === undefined ? '' : `api_key=${encodeURIComponent(options.key)}`, options.query ?? ''];
      const query = params.filter((p) => p !== '').join('&');
      const url = query === '' ? wsUrl : `${wsUrl}?${query}`;
      const client = await WsClient.connect(url, {
        ...(options.origin ? { origin: options.origin } : {}),
        ...(options.autoPong === false ? { autoPong: false } : {}),
      });
      clients.push(client);
      return client;
    },
    async sse(deviceId, headers = { 'x-api-key': TEST_API_KEY }, query = '') {
      const client = await SseClient.open(`${gw.url}/api/devices/${encodeURIComponent(deviceId)}/events${query}`, headers);
      clients.push(client);
      return client;
    },
    async send(deviceId, bodies) {
      const results: SendResult[] = [];
      for (const body of bodies) results.push(await emulator.send(deviceId, JSON.stringify(body), { contentType: 'application/json' }));
      return results;
    },
    async waitRegistered(ids) {
      await eventually(async () => {
        for (const id of ids) if ((await statusOf(id)) !== 'registered') throw new Error(`${id} not registered yet`);
        // `registered` follows processInitialize, which comes before the receiver links attach at `latest`:
        // wait for the links too, or messages sent right now would precede the start position.
        const attached = new Set(emulator.stats().receivers.map((r) => r.partitionId));
        if (attached.size < emulator.partitionIds.length) throw new Error('receivers not attached yet');
      }, { timeoutMs: 20_000 });
    },
    statusOf,
    async close() {
      for (const client of clients) client.close();
      await gw.close();
      await emulator.close();
      removeDir(gw.config.stateDir);
    },
  };
  if (options.waitRegistered !== false) await fixture.waitRegistered(deviceIds);
  return fixture;
}
