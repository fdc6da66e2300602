import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/live/close-codes.js';
import { WsClient } from '../integration/live-clients.js';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from '../integration/support/gateway.js';
import { FakeClock } from '../support/fake-clock.js';
import { waitConnections } from './live-probes.js';

describe('sockets waiting for auth have their own cap and window', () => {
  let gw: RunningGateway;
  const clients: WsClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
  });
  const wsUrl = (key?: string) => `${gw.url.replace(/^http/, 'ws')}/api/ws${key === undefined ? '' : `?api_key=${key}`}`;
  async function open(key?: string): Promise<WsClient> {
    const client = await WsClient.connect(wsUrl(key));
    clients.push(client);
    return client;
  }

  it('past WS_MAX_PENDING_AUTH a socket without a key gets 1013, and pending ones never take authenticated slots', async () => {
    gw = await startGateway(testConfig({ wsMaxConnections: 5, wsMaxPendingAuth: 3 }), { clock: new FakeClock() });
    const pending: WsClient[] = [];
    for (let i = 0; i < 6; i++) pending.push(await open());
    await Promise.all(pending.slice(3).map((c) => c.closed));
    expect(pending.map((c) => c.closeCode)).toEqual([undefined, undefined, undefined, 1013, 1013, 1013]);
    await waitConnections(gw.url, 3, 0);

    const authenticated: WsClient[] = [];
    for (let i = 0; i < 5; i++) authenticated.push(await open(TEST_API_KEY));
    await Promise.all(authenticated.map((c) => c.roundTrip(2000)));
    expect(authenticated.map((c) => [c.closeCode, c.ofType('pong').length])).toEqual(Array(5).fill([undefined, 1]));
    await waitConnections(gw.url, 3, 5);

    const sixth = await open(TEST_API_KEY);
    expect(await sixth.closed).toBe(CloseCode.tryAgainLater);
    pending[0]?.send({ type: 'auth', apiKey: TEST_API_KEY }); // right key, but no authenticated slot left
    expect(await pending[0]?.closed).toBe(CloseCode.tryAgainLater);
    await waitConnections(gw.url, 2, 5);
  });

  it('moves a socket to the authenticated count when its auth succeeds, and closes a silent one 4401 after WS_AUTH_TIMEOUT', async () => {
    const clock = new FakeClock();
    gw = await startGateway(testConfig({ wsMaxConnections: 5, wsMaxPendingAuth: 1, wsAuthTimeoutS: 2 }), { clock });
    const first = await open();
    first.send({ type: 'auth', apiKey: TEST_API_KEY });
    await first.roundTrip();
    await waitConnections(gw.url, 0, 1);
    const silent = await open(); // the pending slot is free again
    await waitConnections(gw.url, 1, 1);

    clock.advance(1999);
    await first.roundTrip();
    expect(silent.closeCode).toBeUndefined();
    clock.advance(1);
    await eventually(() => expect(silent.closeCode).toBe(CloseCode.unauthorized), { timeoutMs: 1000 });
    expect(silent.messages).toEqual([]);
    await first.roundTrip();
    expect(first.closeCode).toBeUndefined();
    await waitConnections(gw.url, 0, 1);
  });
});
