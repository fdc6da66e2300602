import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, testConfig, type RunningGateway } from '../integration/support/gateway.js';

const HANDSHAKE = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

/** Writes `raw` on a fresh socket; resolves with every byte read once the server closed it (rejects after 3 s). */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the socket open for 3 s after: ${Buffer.concat(chunks).toString('latin1').split('\r\n')[0]}`));
    }, 3_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

describe('WebSocket upgrades outside the WebSocket route', () => {
  let gateway: RunningGateway;
  afterEach(() => gateway.close());

  it.each([
    ['a public route', 'GET /healthz'],
    ['a dashboard file', 'GET /app.js'],
    ['a protected route with the key', 'GET /api/devices?api_key=TestKey0123456789abcdefX'],
  ])('on %s: 400 in the error shape, never 101, and the socket is closed', async (_name, requestLine) => {
    gateway = await startGateway(testConfig());
    const answer = await exchange(Number(new URL(gateway.url).port), `${requestLine} HTTP/1.1\r\nHost: 127.0.0.1\r\n${HANDSHAKE}\r\n`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toMatch(/content-type: application\/json/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: string; message: string };
    expect(body.error).toBe('bad_request');
    expect(body.message).toMatch(/does not take a WebSocket upgrade/);
  });

  it('the Host and key checks answer first, as for any request', async () => {
    gateway = await startGateway(testConfig());
    const port = Number(new URL(gateway.url).port);
    const evil = await exchange(port, `GET /healthz HTTP/1.1\r\nHost: evil.example\r\n${HANDSHAKE}\r\n`);
    expect(evil.split('\r\n')[0]).toBe('HTTP/1.1 421 Misdirected Request');
    const keyless = await exchange(port, `GET /api/devices HTTP/1.1\r\nHost: 127.0.0.1\r\n${HANDSHAKE}\r\n`);
    expect(keyless.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
  });

  it('with a malformed path: 400, then the server closes the socket, so shutdown is not held', async () => {
    gateway = await startGateway(testConfig());
    const answer = await exchange(Number(new URL(gateway.url).port), `GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n${HANDSHAKE}\r\n`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    const started = Date.now();
    await gateway.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a HEAD with an upgrade: one answer, without a body', async () => {
    gateway = await startGateway(testConfig());
    const answer = await exchange(Number(new URL(gateway.url).port), `HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n${HANDSHAKE}\r\n`);
    expect(answer.match(/^HTTP\/1\.1 /gm)).toHaveLength(1);
    expect(answer.endsWith('\r\n\r\n')).toBe(true);
  });
});
