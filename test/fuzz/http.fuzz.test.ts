/**
 * HTTP fuzz suite: random requests against the real app on a free port, over raw `node:http` (paths go on the wire
 * as generated). Seeded and time-bounded; a failure prints fast-check's `seed` and `path`.
 *   FUZZ_RUNS=<n>      runs per property (default: 400 requests, 60 SSE resumes)
 *   FUZZ_TIME_MS=<ms>  generation time per property (default 4000)
 *   FUZZ_SEED=<n> FUZZ_PATH=<path>  replay a reported counterexample
 * e.g. `FUZZ_RUNS=20000 FUZZ_TIME_MS=300000 npx vitest run --project integration test/fuzz/http.fuzz.test.ts`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from '../integration/support/eventually.js';
import { TEST_API_KEY, testConfig } from '../integration/support/gateway.js';
import { SseClient } from '../integration/live-clients.js';
import { checkAnswer } from './support/http-checks.js';
import { fuzzRequest } from './support/http-arbitraries.js';
import { FUZZ_ID_HEADER, startFuzzGateway, type FuzzGateway } from './support/fuzz-gateway.js';
import { fuzzParameters, fuzzTestTimeout } from './support/fuzz-settings.js';
import { sendRaw } from './support/raw-http.js';
import { lastEventIdCase, expectedReplay } from './support/sse-cases.js';

const TIME_MS = 4_000;
const DEVICES = ['dev-1', 'dev-2'];
const SSE_DEVICE = 'sse-dev';

describe('HTTP fuzz: every route, encodings, headers, bodies, query values', () => {
  let emulator: Emulator;
  let gw: FuzzGateway;
  /** Positions of SSE_DEVICE's history, oldest first. */
  let positions: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    // Throttling would answer 429 to every later request from 127.0.0.1; the fuzzer judges answers, not the throttle.
    gw = await startFuzzGateway(testConfig({ connectionString: emulator.connectionString, logLevel: 'warn', authFailLimit: 1_000_000 }), {
      initialDeviceIds: [...DEVICES, SSE_DEVICE],
    });
    await eventually(async () => {
      const r = await fetch(`${gw.url}/readyz`);
      expect(r.status).toBe(200);
      expect(new Set(emulator.stats().receivers.map((x) => x.partitionId)).size).toBe(emulator.partitionIds.length);
    }, { timeoutMs: 20_000 });
    for (let i = 0; i < 12; i += 1) await emulator.send(SSE_DEVICE, JSON.stringify({ i }), { contentType: 'application/json' });
    positions = await eventually(async () => {
      const r = await fetch(`${gw.url}/api/devices/${SSE_DEVICE}/telemetry?limit=100`, { headers: { 'x-api-key': TEST_API_KEY } });
      const items = ((await r.json()) as { items: Array<{ partitionId: string; sequenceNumber: number }> }).items;
      expect(items).toHaveLength(12);
      return items.map((m) => `${m.partitionId}:${m.sequenceNumber}`).reverse();
    });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await emulator?.close();
  });

  const healthy = async (): Promise<void> => {
    const r = await sendRaw(gw.port, { method: 'GET', path: '/healthz', headers: {} });
    expect(r.status).toBe(200);
  };

  it('collects the routes the app registers', () => {
    expect(gw.routes.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(['GET /api/devices', 'GET /healthz', 'GET /app.js']));
  });

  it('SSE Last-Event-ID: 200 with exactly the messages after a held position (reset + all for any other), or 400 in the error shape', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(lastEventIdCase(positions), async (c) => {
        const headers: Record<string, string> = { 'x-api-key': TEST_API_KEY, [FUZZ_ID_HEADER]: `sse-${(n += 1)}` };
        if (c.header !== undefined) headers['last-event-id'] = c.header;
        const query = c.query === undefined ? '' : `?lastEventId=${encodeURIComponent(c.query)}`;
        const sse = await SseClient.open(`${gw.url}/api/devices/${SSE_DEVICE}/events${query}`, headers);
        try {
          if (sse.status !== 200) {
            const raw = { status: sse.status ?? 0, headers: sse.response.headers, rawHeaders: sse.response.rawHeaders, body: '' };
            await eventually(() => JSON.parse(sse.body) as unknown, { timeoutMs: 2_000 }).catch(() => undefined);
            raw.body = sse.body;
            checkAnswer({ method: 'GET', path: `/api/devices/${SSE_DEVICE}/events${query}`, headers, body: undefined, keyClass: 'valid' }, raw, TEST_API_KEY, undefined);
            expect(sse.status, `status for ${JSON.stringify(c)}`).toBe(400);
            return;
          }
          const want = expectedReplay(c, positions);
          await eventually(() => {
            expect(sse.named('telemetry').length).toBeGreaterThanOrEqual(want.ids.length);
            if (want.reset) expect(sse.named('reset')).toHaveLength(1);
          }, { timeoutMs: 3_000 }).catch(() => undefined);
          const got = sse.events.filter((e) => e.event !== 'status').map((e) => (e.event === 'reset' ? 'reset' : e.id));
          expect(got, `events for ${JSON.stringify(c)}`).toEqual([...(want.reset ? ['reset'] : []), ...want.ids]);
        } finally {
          sse.close();
        }
      }),
      fuzzParameters(60, TIME_MS),
    );
    await healthy();
  }, fuzzTestTimeout(TIME_MS));

  it('never a 5xx, errors in the JSON shape, the key never echoed, no unauthenticated 2xx on a protected route', async () => {
    let n = 0;
    const target = { routes: gw.routes, port: gw.port, apiKey: TEST_API_KEY, deviceIds: DEVICES };
    await fc.assert(
      fc.asyncProperty(fuzzRequest(target), async (req) => {
        const id = `http-${(n += 1)}`;
        const res = await sendRaw(gw.port, { ...req, headers: { ...req.headers, [FUZZ_ID_HEADER]: id } });
        checkAnswer(req, res, TEST_API_KEY, gw.matchedRoute(id));
      }),
      fuzzParameters(400, TIME_MS),
    );
    await healthy();
  }, fuzzTestTimeout(TIME_MS));
});
