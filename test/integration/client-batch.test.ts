import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient, type ServerMessage, type TelemetryMessage } from '../../client/src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { positionOfResult, startLiveFixture, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';

/** ~60 KiB bodies: a socket that stops reading fills the loopback TCP buffers, then the gateway's high water. */
const PAD = 'x'.repeat(60_000);
const SMALL = 30;

/** `ws`, recording every socket the client opens and whether each text frame was an array. */
const sockets: WebSocket[] = [];
const arrayFrames: number[] = [];
class RecordedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
    this.on('message', (data: Buffer) => {
      if (data[0] === 0x5b) arrayFrames.push((JSON.parse(data.toString('utf8')) as unknown[]).length);
    });
  }
}

describe('GatewayClient with batched frames', () => {
  let fx: LiveFixture | undefined;
  let client: GatewayClient | undefined;
  afterEach(async () => {
    client?.close();
    await fx?.close();
    sockets.length = 0;
    arrayFrames.length = 0;
  });

  function open(batch?: boolean, devices?: boolean) {
    const options = { url: fx!.gw.url, apiKey: TEST_API_KEY, WebSocket: RecordedWebSocket, clock: new FakeClock() };
    client = new GatewayClient({ ...options, ...(batch === undefined ? {} : { batch }), ...(devices === undefined ? {} : { devices }) });
    const telemetry: TelemetryMessage[] = [];
    const messages: ServerMessage[] = [];
    client.on('telemetry', (m) => telemetry.push(m));
    client.on('message', (m) => messages.push(m));
    client.subscribe('dev-1');
    client.connect();
    return { client, telemetry, messages };
  }

  it('asks for batches by default and unpacks array frames into one event per message, positions per message', async () => {
    fx = await startLiveFixture();
    const { client, telemetry, messages } = open();
    await eventually(() => expect(messages.some((m) => m.type === 'subscribed')).toBe(true));
    expect(new URL(sockets[0]!.url).search).toBe('?batch=true');
    expect(messages.filter((m) => m.type === 'devices')).toHaveLength(1); // the list, right after auth
    sockets[0]!.pause();

    const sent: string[] = [];
    // Large messages until several wait in the gateway's send queue: the socket is held back, what follows queues.
    for (let n = 0; fx.gw.app.live.connections.queuePeak() < 4; n += 4) {
      expect(n, 'the paused socket never filled').toBeLessThan(400);
      const group = await fx.send('dev-1', Array.from({ length: 4 }, (_, i) => ({ n: n + i, pad: PAD })));
      sent.push(...group.map(positionOfResult));
      await eventually(async () => expect((await fx!.gw.app.store.latest('dev-1'))?.sequenceNumber).toBe(group.at(-1)!.sequenceNumber));
    }
    sent.push(...(await fx.send('dev-1', Array.from({ length: SMALL }, (_, n) => ({ small: n })))).map(positionOfResult));
    sockets[0]!.resume();

    await eventually(() => expect(telemetry).toHaveLength(sent.length), { timeoutMs: 20_000 });
    expect(telemetry.map((m) => m.position)).toEqual(sent); // every message once, in order
    expect(telemetry.slice(-SMALL).map((m) => m.body)).toEqual(Array.from({ length: SMALL }, (_, n) => ({ small: n })));
    expect(arrayFrames.length).toBeGreaterThanOrEqual(1);
    expect(arrayFrames.every((length) => length >= 2)).toBe(true);
    expect(messages.filter((m) => m.type === 'telemetry')).toEqual(telemetry); // `message` and `telemetry` alike
    expect(client.lastPositions.get('dev-1')).toBe(sent.at(-1));
  }, 60_000);

  it('with batch: false, asks for nothing and gets one message a frame', async () => {
    fx = await startLiveFixture();
    const { telemetry, messages } = open(false);
    await eventually(() => expect(messages.some((m) => m.type === 'subscribed')).toBe(true));
    expect(new URL(sockets[0]!.url).search).toBe('');
    const sent = await fx.send('dev-1', [{ n: 1 }, { n: 2 }]);
    await eventually(() => expect(telemetry).toHaveLength(2));
    expect(telemetry.map((m) => m.position)).toEqual(sent.map(positionOfResult));
    expect(arrayFrames).toEqual([]);
  });

  it('with devices: false, asks for no devices list and still gets its telemetry', async () => {
    fx = await startLiveFixture();
    const { telemetry, messages } = open(undefined, false);
    await eventually(() => expect(messages.some((m) => m.type === 'subscribed')).toBe(true));
    expect(new URL(sockets[0]!.url).search).toBe('?batch=true&devices=false');
    const sent = await fx.send('dev-1', [{ n: 1 }, { n: 2 }]);
    await eventually(() => expect(telemetry.map((m) => m.position)).toEqual(sent.map(positionOfResult)));
    expect(messages.map((m) => m.type)).toEqual(['status', 'subscribed', 'telemetry', 'telemetry']);
  }, 60_000);
});
