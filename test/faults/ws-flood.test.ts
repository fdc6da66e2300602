import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/live/close-codes.js';
import { startLiveFixture, type LiveFixture } from '../integration/live-fixture.js';
import { eventually } from '../integration/support/eventually.js';
import { TEST_API_KEY } from '../integration/support/gateway.js';
import { metricValue, timedGet } from './live-probes.js';

const PEAK = 'gateway_ws_send_queue_peak_messages';
const GHOSTS = Array.from({ length: 3000 }, (_, i) => `ghost-${String(i).padStart(4, '0')}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a client that stops reading cannot make the gateway hold unbounded control messages', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('floods 3,000-ID subscribes without reading: the queue stays within WS_MAX_QUEUE, one error per code and frame, /healthz fast', async () => {
    fx = await startLiveFixture({ wsMaxQueue: 1000 });
    const client = await fx.ws({ key: TEST_API_KEY });
    await client.roundTrip();
    client.socket.pause();
    const frame = JSON.stringify({ type: 'subscribe', deviceIds: GHOSTS });
    let sent = 0;
    const peaks: number[] = [];
    const latencies: number[] = [];
    let flooding = true;
    const probe = (async () => {
      while (flooding) {
        latencies.push(await timedGet(`${fx.gw.url}/healthz`));
        peaks.push((await metricValue(fx.gw.url, PEAK)) ?? Number.NaN);
        await sleep(50);
      }
    })();
    for (let tick = 0; tick < 25; tick++) {
      for (let i = 0; i < 20; i++, sent++) client.send(frame);
      await sleep(20);
    }
    await sleep(1000);
    flooding = false;
    await probe;
    peaks.push((await metricValue(fx.gw.url, PEAK)) ?? Number.NaN);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(1000);
    expect(Math.max(...latencies)).toBeLessThan(1000);

    client.socket.resume();
    const closedOrAnswered = await Promise.race([client.closed, client.roundTrip(30_000).then(() => 'answered')]);
    if (closedOrAnswered !== 'answered') {
      expect(closedOrAnswered).toBe(CloseCode.tooSlow);
      return;
    }
    // At most one error of each code per frame (fewer when one was still unsent), each listing its refused IDs.
    const notFound = client.ofType('error').filter((e) => e.error === 'not_found');
    const overLimit = client.ofType('error').filter((e) => e.error === 'limit_exceeded');
    expect(notFound.length).toBeGreaterThanOrEqual(1);
    expect(notFound.length).toBeLessThanOrEqual(sent);
    expect(overLimit.length).toBeGreaterThanOrEqual(1);
    expect(overLimit.length).toBeLessThanOrEqual(sent);
    expect(new Set(notFound.map((e) => JSON.stringify(e)))).toEqual(new Set([JSON.stringify({
      type: 'error', error: 'not_found', message: '100 devices are not registered', deviceIds: GHOSTS.slice(0, 100),
    })]));
    expect(new Set(overLimit.map((e) => JSON.stringify(e)))).toEqual(new Set([JSON.stringify({
      type: 'error', error: 'limit_exceeded', message: 'at most 100 subscriptions per connection (WS_MAX_SUBSCRIPTIONS)', deviceIds: GHOSTS.slice(100),
    })]));
    // Besides the replies, only what every connection gets: the hub-wide status and the device list.
    const others = client.messages.filter((m) => m.type !== 'error' && m.type !== 'pong' && m.type !== 'devices');
    expect(others).toEqual([{ type: 'status', status: 'connected', isConnected: true, reason: 'hub consumer reads every partition' }]);
  }, 60_000);

  /** A client subscribed to dev-1 whose every further `subscribed` reply carries a ~60 KB latest message. */
  async function heavyRepliesClient(): Promise<Awaited<ReturnType<LiveFixture['ws']>>> {
    const client = await fx.ws({ key: TEST_API_KEY });
    client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    await client.waitFor((m) => m.type === 'subscribed');
    await fx.send('dev-1', [{ pad: 'x'.repeat(60_000) }]);
    await client.waitFor((m) => m.type === 'telemetry');
    return client;
  }
  const serverSockets = () => [...fx.gw.app.websocketServer.clients];

  it('stops reading from a client whose queue is full of control replies, then closes it 4429', async () => {
    fx = await startLiveFixture({ wsMaxQueue: 20, wsSlowClientTimeoutS: 3 });
    const client = await heavyRepliesClient();
    client.socket.pause();
    let sent = 0;
    while (sent < 2000 && !serverSockets().some((c) => c.isPaused)) {
      client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
      sent += 1;
      await sleep(5);
    }
    expect(serverSockets().map((c) => c.isPaused)).toEqual([true]);
    expect(await metricValue(fx.gw.url, PEAK)).toBe(20);
    for (let i = 0; i < 200; i++) client.send({ type: 'subscribe', deviceIds: ['dev-1'] }); // not read: no replies queued
    await sleep(500);
    expect(await metricValue(fx.gw.url, PEAK)).toBe(20);
    await eventually(() => expect(serverSockets().map((c) => c.readyState)).toEqual([2]), { timeoutMs: 10_000 }); // 4429 sent
    client.socket.resume();
    expect(await client.closed).toBe(CloseCode.tooSlow);
    expect(client.ofType('subscribed').length).toBeLessThan(sent);
  }, 60_000);

  it('closes 4429 at once a client whose unread control replies pass the cap', async () => {
    fx = await startLiveFixture({ wsMaxQueue: 20, wsSlowClientTimeoutS: 60 });
    const client = await heavyRepliesClient();
    client.socket.pause();
    for (let i = 0; i < 400; i++) client.send({ type: 'subscribe', deviceIds: ['dev-1'] }); // one burst, read at once
    await eventually(() => expect(serverSockets().map((c) => c.readyState)).toEqual([2]), { timeoutMs: 10_000 });
    client.socket.resume();
    expect(await client.closed).toBe(CloseCode.tooSlow);
    expect(client.ofType('subscribed').length).toBeLessThan(400);
  }, 60_000);
});
