import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';

/** Sends `raw` bytes as one HTTP request over a plain socket; resolves with everything the server wrote back. */
function rawRequest(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(answer) : reject(error)));
  });
}

/** Status line and parsed JSON body of a raw HTTP answer. */
function parseRaw(answer: string): { statusLine: string; contentType: string | undefined; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const contentType = lines.find((l) => l.toLowerCase().startsWith('content-type:'))?.slice(13).trim();
  return { statusLine: lines[0] ?? '', contentType, body: body ? JSON.parse(body) : undefined };
}

describe('errors outside the routes keep the one error shape and never carry the key', () => {
  let gw: RunningGateway;
  beforeEach(async () => {
    gw = await startGateway(testConfig({ logLevel: 'debug' }));
  });
  afterEach(async () => {
    await gw.close();
    removeDir(gw.config.stateDir);
  });

  it('answers a malformed percent-encoding with 400 bad_request, without echoing the URL or its api_key', async () => {
    for (const path of ['/api/devices/a%zz/telemetry', '/%zz', '/api/devices/d%FFv/telemetry']) {
      const answer = await json(fetch(`${gw.url}${path}?api_key=${TEST_API_KEY}`));
      expect(answer).toEqual({ status: 400, body: { error: 'bad_request', message: 'malformed URL: invalid percent-encoding in the path' } });
    }
    expect(gw.lines.join('\n')).not.toContain(TEST_API_KEY);
  });

  it('never logs the key when the api_key parameter name is percent-encoded', async () => {
    for (const query of [`api%5Fkey=${TEST_API_KEY}`, `api%5fkey=${TEST_API_KEY}`, `%61pi_key=${TEST_API_KEY}`, `API_KEY=${TEST_API_KEY}`]) {
      const answer = await json(fetch(`${gw.url}/api/devices?${query}`));
      expect(answer.status).toBe(query.startsWith('API') ? 401 : 200);
    }
    const urls = gw.lines.map((l) => JSON.parse(l) as { msg: string; req?: { url?: string } }).filter((l) => l.msg === 'incoming request').map((l) => l.req?.url);
    expect(urls).toEqual([
      '/api/devices?api%5Fkey=***', '/api/devices?api%5fkey=***', '/api/devices?%61pi_key=***', '/api/devices?API_KEY=***',
    ]);
    expect(gw.lines.join('\n')).not.toContain(TEST_API_KEY);
  });

  it('answers requests Node rejects before routing (oversized headers, bad header bytes) in the error shape', async () => {
    const huge = await rawRequest(gw.url, `GET /api/devices HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(parseRaw(huge)).toEqual({
      statusLine: 'HTTP/1.1 431 Request Header Fields Too Large',
      contentType: 'application/json; charset=utf-8',
      body: { error: 'bad_request', message: 'request headers too large' },
    });
    const bad = await rawRequest(gw.url, `GET /api/devices HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\x0b\r\n\r\n`);
    expect(parseRaw(bad)).toEqual({
      statusLine: 'HTTP/1.1 400 Bad Request',
      contentType: 'application/json; charset=utf-8',
      body: { error: 'bad_request', message: 'malformed HTTP request' },
    });
  });
});

describe('CORS with CORS_ORIGINS set', () => {
  it('answers an OPTIONS that is not a valid preflight with 400 in the error shape; real preflights still pass', async () => {
    const gw = await startGateway(testConfig({ corsOrigins: ['https://dash.example'] }));
    try {
      const bare: Array<Record<string, string>> = [{}, { origin: 'https://dash.example' }, { 'access-control-request-method': 'GET' }];
      for (const headers of bare) {
        expect(await json(fetch(`${gw.url}/api/devices`, { method: 'OPTIONS', headers }))).toEqual({
          status: 400,
          body: { error: 'bad_request', message: 'invalid CORS preflight: send Origin and Access-Control-Request-Method' },
        });
      }
      const preflight = await fetch(`${gw.url}/api/devices`, {
        method: 'OPTIONS', headers: { origin: 'https://dash.example', 'access-control-request-method': 'GET' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    } finally {
      await gw.close();
      removeDir(gw.config.stateDir);
    }
  });
});
