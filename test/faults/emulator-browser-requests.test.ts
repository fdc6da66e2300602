import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { exactRequest } from './support/exact-request.js';

/** What a browser adds when a page on another site posts a form or a no-cors `fetch` (no preflight needed). */
const FROM_A_PAGE = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain;charset=UTF-8' };

describe('the emulator HTTP API takes no requests from web pages', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  const post = (path: string, headers: Record<string, string>) =>
    exactRequest(`http://127.0.0.1:${emulator!.httpPort}`, 'POST', path, headers, { body: '{"voltage":99999}' });
  const enqueued = () => emulator!.stats().partitions.reduce((n, p) => n + p.lastEnqueuedSequenceNumber + 1, 0);

  it('a cross-site page, or a rebinding page (same origin, Origin sent), gets 403 and enqueues nothing', async () => {
    emulator = await startEmulator();
    const crossSite = await post('/devices/household-meter-01/messages/events', FROM_A_PAGE);
    const rebound = await post('/devices/household-meter-01/messages/events', { host: 'rebind.example', origin: 'http://rebind.example', 'sec-fetch-site': 'same-origin' });
    const fault = await post('/_emulator/faults', { ...FROM_A_PAGE, 'content-type': 'application/json' });
    expect([crossSite.status, rebound.status, fault.status]).toEqual([403, 403, 403]);
    expect(JSON.parse(crossSite.body)).toEqual({ error: 'forbidden', message: 'the emulator API takes no browser requests (Origin or Sec-Fetch-Site cross-site)' });
    expect(enqueued()).toBe(0);
  });

  it('a device or test tool (no Origin) is served as before', async () => {
    emulator = await startEmulator();
    expect((await post('/devices/household-meter-01/messages/events', { 'content-type': 'application/json' })).status).toBe(204);
    expect(enqueued()).toBe(1);
  });
});
