import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient, type ClientState, type ServerMessageOf, type TelemetryMessage } from '../../client/src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { positionOfResult, startLiveFixture, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';

/** Messages of ~60 KiB, so a socket that stops reading fills the loopback TCP buffers quickly. */
const PAD = 'x'.repeat(60_000);
const COUNT = 120;

const sockets: WebSocket[] = [];
class RecordedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
  }
}

describe('GatewayClient when it falls behind (WS_MAX_QUEUE=5, WS_SLOW_CLIENT_TIMEOUT=1 s)', () => {
  let fx: LiveFixture | undefined;
  let client: GatewayClient | undefined;
  afterEach(async () => {
    client?.close();
    await fx?.close();
    sockets.length = 0;
  });

  it('surfaces dropped, reconnects after 4429 and resumes after its last message: no repeat, live again', async () => {
    fx = await startLiveFixture({ wsMaxQueue: 5, wsSlowClientTimeoutS: 1 });
    const clock = new FakeClock();
    client = new GatewayClient({ url: fx.gw.url, apiKey: TEST_API_KEY, WebSocket: RecordedWebSocket, clock, backoff: { random: () => 1 } });
    const telemetry: TelemetryMessage[] = [];
    const dropped: Array<ServerMessageOf<'dropped'>> = [];
    const states: ClientState[] = [];
    client.on('telemetry', (m) => telemetry.push(m));
    client.on('dropped', (m) => dropped.push(m));
    client.on('state', (s) => states.push(s));
    client.subscribe('dev-1');
    client.connect();
    await eventually(() => expect(client?.state.state).toBe('connected'));
    await eventually(() => expect(fx!.gw.app.websocketServer.clients.size).toBe(1));
    sockets[0]!.pause();

    const sent: string[] = [];
    for (let n = 0; n < COUNT; n += 4) {
      sent.push(...(await fx.send('dev-1', Array.from({ length: 4 }, (_, i) => ({ n: n + i, pad: PAD })))).map(positionOfResult));
    }
    await eventually(() => {
      expect([...fx!.gw.app.websocketServer.clients].map((c) => c.readyState)).toContain(WebSocket.CLOSING);
    }, { timeoutMs: 15_000 });
    sockets[0]!.resume();
    await eventually(() => expect(client?.state).toMatchObject({ state: 'reconnecting', code: 4429, delayMs: 500 }));
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(dropped.every((d) => d.deviceId === 'dev-1' && d.count > 0)).toBe(true);
    const before = telemetry.length;
    expect(before + dropped.reduce((sum, d) => sum + d.count, 0)).toBeLessThanOrEqual(COUNT);

    clock.advance(500);
    await eventually(() => expect(client?.state.state).toBe('connected'));
    sent.push(...(await fx.send('dev-1', [{ n: COUNT }])).map(positionOfResult));
    await eventually(() => expect(telemetry.at(-1)?.position).toBe(sent.at(-1)));
    const positions = telemetry.map((m) => m.position);
    expect(new Set(positions).size).toBe(positions.length); // nothing twice
    expect(positions.every((p) => sent.includes(p))).toBe(true);
    expect(positions).toEqual(sent.filter((p) => positions.includes(p))); // in the order sent
    // After the reconnect: exactly the messages after the last one received before it.
    const lastBefore = sent.indexOf(positions[before - 1]!);
    expect(positions.slice(before)).toEqual(sent.slice(lastBefore + 1));
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);
  }, 60_000);
});
