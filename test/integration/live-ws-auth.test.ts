import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/live/close-codes.js';
import { WsClient } from './live-clients.js';
import { startLiveFixture, type LiveFixture } from './live-fixture.js';
import { TEST_API_KEY } from './support/gateway.js';

describe('WebSocket /api/ws authentication, origin and heartbeat', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('accepts the key as api_key or as a first auth message, and closes 4401 on a wrong key either way', async () => {
    fx = await startLiveFixture({ logLevel: 'debug' });
    const byQuery = await fx.ws({ key: TEST_API_KEY });
    byQuery.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    expect((await byQuery.waitFor((m) => m.type === 'subscribed')).deviceId).toBe('dev-1');

    const byMessage = await fx.ws();
    byMessage.send({ type: 'auth', apiKey: TEST_API_KEY });
    byMessage.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    expect((await byMessage.waitFor((m) => m.type === 'subscribed')).deviceId).toBe('dev-1');

    const wrongQuery = await fx.ws({ key: 'wrong-key' });
    expect(await wrongQuery.closed).toBe(CloseCode.unauthorized);
    expect(wrongQuery.closeReason).toBe('unauthorized');
    expect(wrongQuery.messages).toEqual([]);

    const wrongMessage = await fx.ws();
    wrongMessage.send({ type: 'auth', apiKey: `${TEST_API_KEY}x` });
    expect(await wrongMessage.closed).toBe(CloseCode.unauthorized);

    const subscribeFirst = await fx.ws();
    subscribeFirst.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    expect(await subscribeFirst.closed).toBe(CloseCode.unauthorized);
    expect(subscribeFirst.ofType('subscribed')).toEqual([]);
    expect(fx.gw.lines.some((line) => line.includes('/api/ws'))).toBe(true); // the upgrade requests were logged…
    expect(fx.gw.lines.join('\n')).not.toContain(TEST_API_KEY); // …without the key
  });

  it('closes 4401 when no auth message arrives within WS_AUTH_TIMEOUT (default 2 s, on the system clock)', async () => {
    fx = await startLiveFixture({ wsAuthTimeoutS: 2 });
    const opened = Date.now();
    const silent = await fx.ws();
    expect(await silent.closed).toBe(CloseCode.unauthorized);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - opened).toBeLessThan(4_000);
    expect(silent.messages).toEqual([]);
  }, 20_000);

  it('closes 4403 for a browser Origin that is neither the gateway’s own nor listed in CORS_ORIGINS', async () => {
    fx = await startLiveFixture({ corsOrigins: ['https://dash.example'] });
    const foreign = await fx.ws({ key: TEST_API_KEY, origin: 'https://evil.example' });
    expect(await foreign.closed).toBe(CloseCode.originNotAllowed);
    expect(foreign.closeReason).toBe('origin not allowed');

    for (const origin of ['https://dash.example', fx.gw.url]) {
      const allowed = await fx.ws({ key: TEST_API_KEY, origin });
      allowed.send({ type: 'subscribe', deviceIds: ['dev-1'] });
      await allowed.waitFor((m) => m.type === 'subscribed');
      expect(allowed.closeCode).toBeUndefined();
    }
  });

  it('closes 4408 a peer that stops answering protocol pings, and keeps one that answers', async () => {
    fx = await startLiveFixture({ wsHeartbeatIntervalS: 1 });
    const mute = await fx.ws({ key: TEST_API_KEY, autoPong: false });
    const alive = await fx.ws({ key: TEST_API_KEY });
    expect(await mute.closed).toBe(CloseCode.heartbeatTimeout);
    expect(mute.closeReason).toBe('heartbeat timeout');
    await alive.roundTrip();
    expect(alive.closeCode).toBeUndefined();
  });

  it('refuses a connection past WS_MAX_CONNECTIONS with 1013', async () => {
    fx = await startLiveFixture({ wsMaxConnections: 1 });
    const first = await fx.ws({ key: TEST_API_KEY });
    const second = await WsClient.connect(`${fx.wsUrl}?api_key=${TEST_API_KEY}`);
    expect(await second.closed).toBe(CloseCode.tryAgainLater);
    await first.roundTrip();
  });
});
