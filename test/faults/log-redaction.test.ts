import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from '../integration/support/gateway.js';
import { exactRequest } from './support/exact-request.js';

const encodeEvery = (text: string, upper: boolean) =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`).join('');

/** The forms of `key` a log line must never hold: as is, percent-encoded (all bytes, either case, or as a browser would). */
const forms = (key: string) => [key, encodeURIComponent(key), encodeEvery(key, false), encodeEvery(key, true)];

/** The `req.url` of every "incoming request" line. */
const loggedUrls = (lines: string[]) =>
  lines
    .map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string } })
    .filter((l) => l.msg === 'incoming request')
    .map((l) => l.req?.url);

describe('request logs never carry the API key, whatever the parameter or header that holds it', () => {
  let gw: RunningGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });

  const key = TEST_API_KEY;
  const paths = [
    `/api/devices?apiKey=${key}`, `/api/devices?api_key%00=${key}`, `/api/devices?token=${key}&limit=5`,
    `/api/devices?x=${encodeEvery(key, false)}`, `/api/devices?x=${encodeEvery(key, true)}`, `/api/devices?q=Bearer+${key}`,
    `/api/devices?${key}`, `/api/devices?%61pi%5Fkey=${key}`, `/api/devices/${key}/telemetry`, `/${encodeEvery(key, true)}`,
    `/api/devices;apiKey=${key}`, `/api/devices?twice=${encodeEvery(encodeEvery(key, false), true)}`,
  ];

  it('redacts a query value equal to the key under any name and in any encoding, and the key in a path segment', async () => {
    gw = await startGateway(testConfig({ authFailLimit: 1000, logLevel: 'debug' }));
    for (const path of paths) await exactRequest(gw.url, 'GET', path);
    const socket = new WebSocket(`${gw.url.replace('http', 'ws')}/api/ws?apiKey=${key}&api_key=${key}`);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.close();
    await eventually(() => expect(loggedUrls(gw!.lines).length).toBe(paths.length + 1));

    const logged = gw.lines.join('\n');
    for (const form of forms(key)) expect(logged).not.toContain(form);
    expect(loggedUrls(gw.lines)).toEqual([
      '/api/devices?apiKey=***', '/api/devices?api_key%00=***', '/api/devices?token=***&limit=5', '/api/devices?x=***',
      '/api/devices?x=***', '/api/devices?q=***', '/api/devices?***', '/api/devices?%61pi%5Fkey=***', '/api/devices/***/telemetry',
      '/***', '/api/***', '/api/devices?twice=***', '/api/ws?apiKey=***&api_key=***',
    ]);
  });

  it('never logs a header holding the key, and redacts a key whose characters need percent-encoding', async () => {
    const key = 'Key+With/Slash=0123456789&x';
    gw = await startGateway(testConfig({ apiKey: key, authFailLimit: 1000, logLevel: 'debug' }));
    const headers = {
      'x-api-key': key, authorization: `Bearer ${key}`, cookie: `session=${key}`, 'x-forwarded-for': key, 'last-event-id': key,
      'user-agent': key, referer: `http://127.0.0.1/?k=${key}`,
    };
    await exactRequest(gw.url, 'GET', '/api/devices/household-meter-01/events', headers);
    await exactRequest(gw.url, 'GET', '/no-such-route', headers);
    await exactRequest(gw.url, 'GET', `/api/devices?k=${encodeURIComponent(key)}`);
    await exactRequest(gw.url, 'GET', `/api/devices?k=${encodeEvery(key, true)}&next=1`);
    await eventually(() => expect(loggedUrls(gw!.lines).length).toBe(4));
    const logged = gw.lines.join('\n');
    for (const form of forms(key)) expect(logged).not.toContain(form);
    expect(logged).not.toContain('Key+With');
    expect(loggedUrls(gw.lines).slice(2)).toEqual(['/api/devices?k=***', '/api/devices?k=***&next=1']);
  });

  it('keeps the key out of pretty lines too, and shows a refused request at info with its redacted URL', async () => {
    gw = await startGateway(testConfig({ authFailLimit: 1000, logLevel: 'debug', logFormat: 'pretty' }));
    for (const path of paths) await exactRequest(gw.url, 'GET', path);
    await exactRequest(gw.url, 'GET', `/api/devices?api_key=${key}x`);
    await eventually(() => expect(gw!.lines.filter((l) => l.includes('incoming request')).length).toBe(paths.length + 1));
    const logged = gw.lines.join('\n');
    for (const form of forms(key)) expect(logged).not.toContain(form);
    expect(logged).toContain('/api/devices?apiKey=***');
    expect(gw.lines.every((l) => !l.startsWith('{'))).toBe(true);
    const refused = gw.lines.filter((l) => l.includes('request completed GET /api/devices?api_key=*** → 401'));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: request completed GET \/api\/devices\?api_key=\*\*\* → 401$/);
  });
});
