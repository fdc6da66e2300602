/**
 * WebSocket fuzz suite: random frame sequences on `/api/ws` of the real app (bad JSON, wrong types, huge arrays,
 * floods, binary and oversized frames, clients that stop reading, auth races with wrong keys and frames before auth),
 * several connections at once. Seeded and time-bounded; a failure prints fast-check's `seed` and `path`.
 *   FUZZ_RUNS=<n>      runs (default 150)
 *   FUZZ_TIME_MS=<ms>  generation time (default 5000)
 *   FUZZ_SEED=<n> FUZZ_PATH=<path>  replay a reported counterexample
 * Per-connection caps are read from the app's SendQueue and WsSubscriptions objects (support/cap-probe.ts): the app
 * exposes no counter for them. Open connections are counted on `app.websocketServer.clients`.
 */
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_API_KEY, testConfig } from '../integration/support/gateway.js';
import { CapProbe } from './support/cap-probe.js';
import { startFuzzGateway, type FuzzGateway } from './support/fuzz-gateway.js';
import { fuzzParameters, fuzzTestTimeout } from './support/fuzz-settings.js';
import { sendRaw } from './support/raw-http.js';
import { wsScript } from './support/ws-arbitraries.js';
import { checkOutcome } from './support/ws-checks.js';
import { playScript } from './support/ws-session.js';

const TIME_MS = 5_000;
const DEVICES = ['dev-1', 'dev-2', 'dev-3', 'dev-4'];
/** Small caps, so random scripts reach them. */
const CAPS = { wsMaxQueue: 50, wsMaxSubscriptions: 3, wsMaxConnections: 3, wsMaxPendingAuth: 2 };

describe('WebSocket fuzz: frame sequences, floods, auth races', () => {
  let gw: FuzzGateway;
  let wsUrl: string;
  const probe = new CapProbe();

  beforeAll(async () => {
    probe.install();
    gw = await startFuzzGateway(testConfig({ ...CAPS, logLevel: 'warn', authFailLimit: 1_000_000 }), { initialDeviceIds: DEVICES });
    wsUrl = `${gw.url.replace(/^http/, 'ws')}/api/ws`;
  });

  afterAll(async () => {
    probe.uninstall();
    await gw?.close();
  });

  /** Server-side sockets in the OPEN state. */
  const openSockets = (): number => [...gw.app.websocketServer.clients].filter((s) => s.readyState === WebSocket.OPEN).length;

  it('every connection ends in an allowed state, nothing leaks before auth, every queue and map within its cap, the app stays up', async () => {
    let maxOpen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(wsScript(TEST_API_KEY, DEVICES), { minLength: 1, maxLength: 4 }), async (scripts) => {
        probe.take();
        const sampler = setInterval(() => (maxOpen = Math.max(maxOpen, openSockets())), 5);
        let outcomes;
        try {
          outcomes = await Promise.all(scripts.map((script) => playScript(wsUrl, script, TEST_API_KEY)));
        } finally {
          clearInterval(sampler);
        }
        scripts.forEach((script, i) => checkOutcome(script, outcomes[i] as never, TEST_API_KEY));
        const caps = probe.take();
        expect(caps.maxQueue, 'largest send queue (messages) vs WS_MAX_QUEUE').toBeLessThanOrEqual(CAPS.wsMaxQueue);
        expect(caps.maxSubscriptions, 'most subscriptions on one connection vs WS_MAX_SUBSCRIPTIONS').toBeLessThanOrEqual(CAPS.wsMaxSubscriptions);
        expect(maxOpen, 'open sockets vs WS_MAX_CONNECTIONS + WS_MAX_PENDING_AUTH').toBeLessThanOrEqual(CAPS.wsMaxConnections + CAPS.wsMaxPendingAuth);
        expect((await sendRaw(gw.port, { method: 'GET', path: '/healthz', headers: {} })).status).toBe(200);
      }),
      fuzzParameters(150, TIME_MS),
    );
  }, fuzzTestTimeout(TIME_MS));
});
