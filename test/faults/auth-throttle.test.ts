import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from '../integration/support/gateway.js';
import { FakeClock } from '../support/fake-clock.js';
import { exactRequest } from './support/exact-request.js';

const WRONG = `${TEST_API_KEY}x`;

/**
 * Opens `/api/ws`, sends `firstMessage` (if any) then a `ping`, and resolves with `close <code>`, `authenticated`
 * (the `pong` came back), or `HTTP <status> retry-after=<s>` for a refused upgrade.
 */
function wsOutcome(url: string, path: string, firstMessage?: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}${path}`);
    socket.on('open', () => {
      if (firstMessage !== undefined) socket.send(JSON.stringify(firstMessage));
      socket.send(JSON.stringify({ type: 'ping' }));
    });
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString('utf8')) as { type?: string }).type !== 'pong') return;
      resolve('authenticated');
      socket.close();
    });
    socket.on('close', (code) => resolve(`close ${code}`));
    socket.on('unexpected-response', (_request, response) => {
      resolve(`HTTP ${response.statusCode} retry-after=${response.headers['retry-after']}`);
      socket.terminate();
    });
    socket.on('error', (error) => (error.message.startsWith('Unexpected server response') ? undefined : reject(error)));
  });
}

describe('failed authentications are throttled per client address (fixed window on the injected clock)', () => {
  let gw: RunningGateway | undefined;
  const clock = new FakeClock();
  const start = async () => {
    gw = await startGateway(testConfig({ authFailLimit: 3, authFailWindowS: 60 }), { clock });
    return gw;
  };
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });
  const get = async (path: string, key?: string, localAddress?: string) => {
    const answer = await exactRequest(gw!.url, 'GET', path, key === undefined ? {} : { 'x-api-key': key }, { localAddress });
    const body = answer.body.startsWith('{') ? (JSON.parse(answer.body) as { error?: string }) : {};
    return { status: answer.status, error: body.error, retryAfter: answer.headers['retry-after'] };
  };
  const throttled = (retryAfter: number) => ({ status: 429, error: 'too_many_requests', retryAfter: String(retryAfter) });

  it('after AUTH_FAIL_LIMIT wrong keys every request gets 429 with Retry-After until the window ends', async () => {
    await start();
    for (let i = 0; i < 3; i++) expect(await get('/api/devices', WRONG)).toMatchObject({ status: 401, error: 'unauthorized' });
    expect(await get('/api/devices', TEST_API_KEY)).toEqual(throttled(60));
    const warnings = gw!.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((e) => e.level === 40);
    expect(warnings.map((e) => e.msg)).toEqual(['auth: 127.0.0.1 throttled for 60 s after 3 failed authentications (AUTH_FAIL_LIMIT)']);
    clock.advance(20_500);
    expect(await get('/api/devices', TEST_API_KEY)).toEqual(throttled(40));
    expect(await get('/healthz')).toEqual(throttled(40));
    expect(await get('/')).toEqual(throttled(40));
    expect(await wsOutcome(gw!.url, `/api/ws?api_key=${TEST_API_KEY}`)).toBe('HTTP 429 retry-after=40');
    // Another client address is not affected.
    expect((await get('/api/devices', TEST_API_KEY, '127.0.0.2')).status).toBe(200);
    clock.advance(39_499);
    expect(await get('/api/devices', TEST_API_KEY)).toEqual(throttled(1));
    clock.advance(1);
    expect(await get('/api/devices', TEST_API_KEY)).toMatchObject({ status: 200 });
  });

  it('uses a fixed window from the first failure; a missing key is no failed authentication', async () => {
    await start();
    for (let i = 0; i < 10; i++) expect((await get('/api/devices')).status).toBe(401);
    expect((await get('/api/devices', TEST_API_KEY)).status).toBe(200);
    expect((await get('/api/devices', WRONG)).status).toBe(401);
    clock.advance(30_000);
    expect((await get('/api/no-such-route', WRONG)).status).toBe(401); // unmatched paths count too
    clock.advance(29_000);
    expect((await get(`/api/devices?api_key=${WRONG}`)).status).toBe(401);
    expect(await get('/api/devices', TEST_API_KEY)).toEqual(throttled(1));
    clock.advance(1_000);
    // A new window: two more failures are allowed before the third throttles again.
    for (let i = 0; i < 2; i++) expect((await get('/api/devices', WRONG)).status).toBe(401);
    expect((await get('/api/devices', TEST_API_KEY)).status).toBe(200);
  });

  it('counts wrong keys sent over WebSocket (first auth message or api_key), then refuses the upgrade with HTTP 429', async () => {
    const { url } = await start();
    expect(await wsOutcome(url, '/api/ws', { type: 'auth', apiKey: WRONG })).toBe('close 4401');
    expect(await wsOutcome(url, '/api/ws', { type: 'auth', apiKey: WRONG })).toBe('close 4401');
    expect(await wsOutcome(url, `/api/ws?api_key=${WRONG}`)).toBe('close 4401');
    expect(await wsOutcome(url, '/api/ws', { type: 'auth', apiKey: TEST_API_KEY })).toBe('HTTP 429 retry-after=60');
    expect(await get('/api/devices', TEST_API_KEY)).toEqual(throttled(60));
    clock.advance(60_000);
    expect((await get('/api/devices', TEST_API_KEY)).status).toBe(200);
  });
});
