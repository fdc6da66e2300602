import { FakeClock } from '../support/fake-clock.js';
import { request } from 'node:http';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';
import { register } from './support/helpers.js';

/** A HEAD request; resolves with the status once the response ended. */
function head(url: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'HEAD', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live endpoints misused: plain HTTP, HEAD, invalid frames', () => {
  let gw: RunningGateway;
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
  });

  it('answers GET /api/ws without a WebSocket upgrade with 400 in the error shape', async () => {
    gw = await startGateway(testConfig());
    for (const path of ['/api/ws', `/api/ws?api_key=${TEST_API_KEY}`]) {
      expect(await json(fetch(`${gw.url}${path}`))).toEqual({
        status: 400, body: { error: 'bad_request', message: 'GET /api/ws needs a WebSocket upgrade (RFC 6455)' },
      });
    }
  });

  it('a HEAD on the SSE endpoint holds no subscription: the device still turns inactive', async () => {
    const clock = new FakeClock(Date.now());
    gw = await startGateway(testConfig({ inactivityTimeoutS: 1 }), { clock });
    expect((await register(gw, 'head-1')).status).toBe(202);
    expect(await head(`${gw.url}/api/devices/head-1/events`, { 'x-api-key': TEST_API_KEY })).toBe(200);
    clock.advance(1_500);
    expect(gw.app.registry.get('head-1')?.status).toBe('inactive');
  });

  it('logs a client’s invalid frames as one info line without a stack, not as a warning or a server error', async () => {
    gw = await startGateway(testConfig({ logLevel: 'info' }));
    const wsUrl = `${gw.url.replace(/^http/, 'ws')}/api/ws?api_key=${TEST_API_KEY}`;
    const closeCodes: number[] = [];
    for (const frame of [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), Buffer.alloc(70 * 1024, 0x20)]) {
      const socket = new WebSocket(wsUrl);
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      socket.send(frame, { binary: false });
      closeCodes.push(await closed);
    }
    expect(closeCodes).toEqual([1007, 1009]); // RFC 6455 §7.4.1: invalid data, message too big
    const entries = () => gw.lines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: unknown });
    const wsLines = () => entries().filter((e) => e.msg.startsWith('websocket'));
    await eventually(() => expect(wsLines()).toHaveLength(2));
    const wsEntries = wsLines();
    expect(wsEntries).toEqual([
      expect.objectContaining({ level: 30, msg: 'websocket client sent an invalid frame: Invalid WebSocket frame: invalid UTF-8 sequence' }),
      expect.objectContaining({ level: 30, msg: 'websocket client sent an invalid frame: Max payload size exceeded' }),
    ]);
    expect(entries().filter((e) => e.level >= 40)).toEqual([]);
    expect(wsEntries.some((e) => e.err !== undefined)).toBe(false);
  });
});
