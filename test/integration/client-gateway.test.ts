import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient, type ClientState, type ServerMessage, type TelemetryMessage } from '../../client/src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { freePort } from '../support/free-port.js';
import { positionOfResult, startLiveFixture, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';

/** `ws`, with every socket the client opens kept here (to pause one). */
const sockets: WebSocket[] = [];
class RecordedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
  }
}

describe('GatewayClient in Node with ws, against the real gateway', () => {
  let fx: LiveFixture | undefined;
  let client: GatewayClient | undefined;
  afterEach(async () => {
    client?.close();
    await fx?.close();
    fx = undefined;
    sockets.length = 0;
  });

  /** A client on the fixture's gateway that records its telemetry, every message and its states. */
  function open(options: { apiKey?: string; clock?: FakeClock; url?: string } = {}) {
    const clock = options.clock ?? new FakeClock();
    client = new GatewayClient({
      url: options.url ?? fx!.gw.url, apiKey: options.apiKey ?? TEST_API_KEY, WebSocket: RecordedWebSocket, clock,
      backoff: { initialMs: 500, maxMs: 4000, random: () => 0.5 },
    });
    const telemetry: TelemetryMessage[] = [];
    const messages: ServerMessage[] = [];
    const states: ClientState[] = [];
    client.on('telemetry', (m) => telemetry.push(m));
    client.on('message', (m) => messages.push(m));
    client.on('state', (s) => states.push(s));
    return { client, clock, telemetry, messages, states };
  }

  it('authenticates with the key and receives telemetry with its values and positions', async () => {
    fx = await startLiveFixture();
    const { client, telemetry, messages } = open();
    client.subscribe(['dev-1']);
    client.connect();
    await eventually(() => expect(messages.some((m) => m.type === 'subscribed')).toBe(true));
    const sent = await fx.send('dev-1', [{ voltage: 230.5 }, { voltage: 231 }]);
    await eventually(() => expect(telemetry).toHaveLength(2));
    expect(telemetry.map((m) => [m.deviceId, m.position, m.body])).toEqual([
      ['dev-1', positionOfResult(sent[0]!), { voltage: 230.5 }],
      ['dev-1', positionOfResult(sent[1]!), { voltage: 231 }],
    ]);
    expect(client.state).toEqual({ state: 'connected' });
    expect(messages[0]).toMatchObject({ type: 'status', status: 'connected' }); // the hub-wide status after auth
  });

  it('the gateway serves the built client at /vendor/client/ without a key, and only its .js modules', async () => {
    fx = await startLiveFixture();
    const index = await fetch(`${fx.gw.url}/vendor/client/index.js`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/javascript/);
    expect(await index.text()).toBe(readFileSync('client/dist/index.js', 'utf8'));
    for (const path of ['index.d.ts', '.tsbuildinfo', 'schemas/live-messages.d.ts']) {
      expect((await fetch(`${fx.gw.url}/vendor/client/${path}`)).status, path).not.toBe(200);
    }
  });

  it('a wrong key: stops with "unauthorized" after one attempt, no retry timer left', async () => {
    fx = await startLiveFixture();
    const { client, clock, states } = open({ apiKey: 'WrongKey0123456789abcdef' });
    client.connect();
    await eventually(() => expect(client.state.state).toBe('offline'));
    expect(states).toEqual([{ state: 'connecting', attempt: 0 }, { state: 'offline', why: 'unauthorized', code: 4401 }]);
    expect(clock.pendingCount).toBe(0);
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('backs off exponentially with jitter on the injected clock while nothing listens, capped at maxMs', async () => {
    const port = await freePort();
    const { client, clock, states } = open({ url: `http://127.0.0.1:${port}` });
    client.connect();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await eventually(() => expect(client.state).toMatchObject({ state: 'reconnecting', attempt, code: 1006 }));
      const state = client.state as Extract<ClientState, { state: 'reconnecting' }>;
      delays.push(state.delayMs);
      expect(state.retryAt).toBe(clock.now() + state.delayMs);
      clock.advance(state.delayMs - 1);
      expect(client.state.state).toBe('reconnecting'); // not a millisecond early
      clock.advance(1);
    }
    expect(delays).toEqual([375, 750, 1500, 3000, 3000]);
    expect(sockets).toHaveLength(6);
    expect(states.filter((s) => s.state === 'connecting')).toHaveLength(6);
  });

  it('surfaces reset for a position the gateway does not hold, then delivers the history (not taken for repeats)', async () => {
    fx = await startLiveFixture();
    const sent = await fx.send('dev-1', [{ i: 0 }, { i: 1 }]);
    const partition = sent[0]!.partitionId;
    const { client, telemetry, messages } = open();
    const resets: string[] = [];
    client.on('reset', (m) => resets.push(m.deviceId));
    await eventually(async () => expect((await fx!.gw.app.store.latest('dev-1'))?.sequenceNumber).toBe(sent[1]!.sequenceNumber));
    client.subscribe('dev-1', { from: `${partition}:99999` });
    client.connect();
    await eventually(() => expect(telemetry).toHaveLength(2));
    expect(resets).toEqual(['dev-1']);
    expect(messages.map((m) => m.type).filter((t) => t !== 'status' && t !== 'devices')).toEqual(['subscribed', 'reset', 'telemetry', 'telemetry']);
    expect(telemetry.map((m) => m.body)).toEqual([{ i: 0 }, { i: 1 }]);
    expect(client.lastPositions.get('dev-1')).toBe(positionOfResult(sent[1]!));
  });
});
