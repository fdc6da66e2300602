import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import type { WsClient } from './live-clients.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';

/** ~60 KiB bodies: a client that stops reading fills the loopback TCP buffers, then the socket's high water (64 KiB). */
const PAD = 'x'.repeat(60_000);
const SMALL = 40;

/** The `gateway_ws_…` counter's value in the `/metrics` text. */
function counter(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('batched WebSocket frames', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  async function subscribed(client: WsClient): Promise<void> {
    client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    await client.waitFor((m) => m.type === 'subscribed');
  }

  it('gives a client that opted in what queued while it was held back as array frames: every message once, in order', async () => {
    fx = await startLiveFixture();
    const plain = await fx.ws({ key: TEST_API_KEY });
    const byQuery = await fx.ws({ key: TEST_API_KEY, query: 'batch=true' });
    const byAuth = await fx.ws({ query: 'batch=false' }); // the auth message decides
    byAuth.send({ type: 'auth', apiKey: TEST_API_KEY, batch: true });
    await byAuth.waitFor((m) => m.type === 'status');
    for (const client of [plain, byQuery, byAuth]) await subscribed(client);
    byQuery.socket.pause();
    byAuth.socket.pause();

    // Large messages until several wait in a send queue: the paused sockets are held back, what follows queues.
    const results = [];
    for (let n = 0; fx.gw.app.live.connections.queuePeak() < 4; n += 4) {
      expect(n, 'the paused sockets never filled').toBeLessThan(400);
      results.push(...(await fx.send('dev-1', Array.from({ length: 4 }, (_, i) => ({ n: n + i, pad: PAD })))));
      await eventually(() => expect(plain.ofType('telemetry')).toHaveLength(results.length), { timeoutMs: 20_000 });
    }
    results.push(...(await fx.send('dev-1', Array.from({ length: SMALL }, (_, n) => ({ small: n })))));
    await eventually(() => expect(plain.ofType('telemetry')).toHaveLength(results.length), { timeoutMs: 20_000 });

    byQuery.socket.resume();
    byAuth.socket.resume();
    const positions = results.map(positionOfResult);
    expect(plain.ofType('telemetry').map((m) => m.position)).toEqual(positions);
    for (const client of [byQuery, byAuth]) {
      await eventually(() => expect(client.ofType('telemetry')).toHaveLength(results.length), { timeoutMs: 20_000 });
      await client.roundTrip();
      expect(client.ofType('telemetry')).toEqual(plain.ofType('telemetry')); // each element as sent alone, in order
      expect(client.ofType('dropped')).toEqual([]);
      const arrays = client.frames.filter((f) => Array.isArray(f));
      expect(arrays.length).toBeGreaterThanOrEqual(1);
      expect(arrays.every((f) => f.length >= 2)).toBe(true);
      // The small messages that waited came batched: fewer frames than messages.
      const smallFrames = client.frames.filter((f) => (Array.isArray(f) ? f : [f]).some((m) => (m.body as { small?: number })?.small !== undefined));
      expect(smallFrames.length).toBeLessThan(SMALL);
    }
    expect(plain.frames.some((f) => Array.isArray(f))).toBe(false);

    const arrays = [...byQuery.frames, ...byAuth.frames].filter((f) => Array.isArray(f));
    const metrics = await (await fx.gw.api('/metrics')).text();
    expect(counter(metrics, 'gateway_ws_batch_frames_total')).toBe(arrays.length);
    expect(counter(metrics, 'gateway_ws_batched_messages_total')).toBe(arrays.reduce((sum, f) => sum + f.length, 0));
  }, 90_000);

  it('answers ?batch= with another value than true or false with a bad_request error after auth, and stays open', async () => {
    fx = await startLiveFixture();
    const client = await fx.ws({ key: TEST_API_KEY, query: 'batch=yes' });
    await client.waitFor((m) => m.type === 'status');
    expect(client.messages[0]).toEqual({ type: 'error', error: 'bad_request', message: '"batch" must be true or false' });
    await subscribed(client);
    const sent = await fx.send('dev-1', [{ n: 1 }]);
    await client.waitFor((m) => m.type === 'telemetry');
    expect(client.ofType('telemetry').map((m) => m.position)).toEqual(sent.map(positionOfResult));
    expect(client.frames.every((f) => !Array.isArray(f))).toBe(true);
    expect(client.closeCode).toBeUndefined();
  });

  it('answers an auth message with the right key and a non-boolean batch or devices with bad_request, not 4401', async () => {
    fx = await startLiveFixture();
    for (const [option, value] of [['batch', '"yes"'], ['batch', '1'], ['batch', 'null'], ['devices', '"false"']]) {
      const client = await fx.ws({});
      client.send(`{"type":"auth","apiKey":${JSON.stringify(TEST_API_KEY)},"${option}":${value}}`);
      await client.waitFor((m) => m.type === 'status');
      expect(client.messages[0]).toEqual({ type: 'error', error: 'bad_request', message: `"${option}" must be true or false` });
      await subscribed(client);
      const sent = await fx.send('dev-1', [{ n: 1 }, { n: 2 }]);
      await client.roundTrip();
      expect(client.ofType('telemetry').slice(-2).map((m) => m.position)).toEqual(sent.map(positionOfResult));
      expect(client.ofType('devices')).toHaveLength(1); // the option fell back to its default
      expect(client.closeCode).toBeUndefined();
    }
  });
});
