import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from '../integration/support/gateway.js';
import { eventually } from '../integration/support/eventually.js';

/** A socket that writes `head`, then one more byte every 200 ms; records what came back and whether it closed. */
function drip(url: string, head: string): { socket: Socket; state: { closed: boolean; received: string } } {
  const { port } = new URL(url);
  const state = { closed: false, received: '' };
  const socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
  const timer = setInterval(() => socket.writable && socket.write(' '), 200);
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (state.received += chunk));
  socket.on('close', () => {
    clearInterval(timer);
    state.closed = true;
  });
  socket.on('error', () => undefined);
  return { socket, state };
}

describe('a client that sends its request slowly cannot hold a connection for ever', () => {
  let gw: RunningGateway | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });

  it('an unauthenticated body trickled after its 401, and a header trickle, are cut off with 408 by the timeouts', async () => {
    gw = await startGateway(testConfig(), { requestTimeouts: { requestTimeoutMs: 1_500, headersTimeoutMs: 1_000 } });
    const body = drip(gw.url, 'POST /api/register-device HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
    const headers = drip(gw.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ');
    sockets.push(body.socket, headers.socket);
    await eventually(() => expect(body.state.received).toMatch(/^HTTP\/1\.1 401 /), { timeoutMs: 2_000 });
    const started = Date.now();
    await eventually(() => expect({ body: body.state.closed, headers: headers.state.closed }).toEqual({ body: true, headers: true }), { timeoutMs: 6_000 });
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(headers.state.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('an authenticated WebSocket and an SSE stream stay open past the request timeout', async () => {
    gw = await startGateway(testConfig(), { requestTimeouts: { requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 } });
    await gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"deviceId":"dev-a"}' });
    const sse = await gw.api('/api/devices/dev-a/events');
    const reader = sse.body!.getReader();
    await reader.read();
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/api/ws?api_key=${TEST_API_KEY}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const pong = new Promise((resolve) => ws.on('message', (data: Buffer) => resolve((JSON.parse(data.toString()) as { type: string }).type)));
    ws.send(JSON.stringify({ type: 'ping' }));
    expect(await pong).toBe('pong');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    const next = await Promise.race([reader.read(), new Promise((resolve) => setTimeout(() => resolve('still open'), 200))]);
    expect(next).toBe('still open');
    await reader.cancel();
  });
});
