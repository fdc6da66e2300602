import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from '../integration/support/gateway.js';
import { FakeClock } from '../support/fake-clock.js';
import { exactRequest } from './support/exact-request.js';

/** What a browser adds to a request a page on another site makes (`<img src>`, `fetch` no-cors / cors). */
const CROSS_SITE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };

describe('a page on another site cannot lock the local user out through the failed-authentication throttle', () => {
  let gw: RunningGateway | undefined;
  const clock = new FakeClock();
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });
  const status = async (path: string, headers: Record<string, string>) => (await exactRequest(gw!.url, 'GET', path, headers)).status;

  it('cross-site wrong keys are refused without counting; the user with the key still gets 200', async () => {
    gw = await startGateway(testConfig({ authFailLimit: 3, authFailWindowS: 60 }), { clock });
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) answers.push(await status(`/api/devices?api_key=guess${i}`, CROSS_SITE));
    expect(answers).toEqual(Array(10).fill(401));
    expect(await status('/api/devices', { 'x-api-key': TEST_API_KEY })).toBe(200);
    expect(await status('/healthz', {})).toBe(200);
  });

  it('a cross-site request gets no key check, so the header cannot be used to dodge the throttle', async () => {
    gw = await startGateway(testConfig({ authFailLimit: 3, authFailWindowS: 60 }), { clock });
    const answer = await exactRequest(gw.url, 'GET', '/api/devices', { ...CROSS_SITE, 'x-api-key': TEST_API_KEY });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'unauthorized',
      message: 'cross-site request from an origin not in CORS_ORIGINS: the key is not checked',
    });
    for (let i = 0; i < 3; i++) expect(await status('/api/devices', { 'x-api-key': `wrong${i}` })).toBe(401);
    expect(await status('/api/devices', { 'x-api-key': TEST_API_KEY })).toBe(429);
  });

  it('an origin listed in CORS_ORIGINS is checked (and counted) as before; same-origin and typed URLs too', async () => {
    gw = await startGateway(testConfig({ corsOrigins: ['https://dash.example'], authFailLimit: 50 }), { clock });
    const listed = { 'sec-fetch-site': 'cross-site', origin: 'https://dash.example' };
    expect(await status('/api/devices', { ...listed, 'x-api-key': TEST_API_KEY })).toBe(200);
    expect(await status('/api/devices', { 'sec-fetch-site': 'same-origin', 'x-api-key': TEST_API_KEY })).toBe(200);
    expect(await status(`/api/devices?api_key=${TEST_API_KEY}`, { 'sec-fetch-site': 'none' })).toBe(200);
    expect(await status('/api/devices', { 'sec-fetch-site': 'same-site', origin: 'http://localhost:3000', 'x-api-key': TEST_API_KEY })).toBe(401);
  });
});
