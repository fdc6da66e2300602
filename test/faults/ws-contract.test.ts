import { connect } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from '../integration/support/gateway.js';

/** Sends `head` over a raw TCP connection and resolves with everything the server wrote before closing. */
function rawExchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no close after: ${answer}`)));
  });
}

describe('WebSocket contract: refused upgrades and oversized frames', () => {
  let gw: RunningGateway;
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
  });

  it('answers an upgrade without a valid Sec-WebSocket-Key or version with 400 in the JSON error shape', async () => {
    gw = await startGateway(testConfig());
    const port = Number(new URL(gw.url).port);
    const upgrade = (extra: string) =>
      `GET /api/ws?api_key=${TEST_API_KEY} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${extra}\r\n`;
    const cases: Array<[string, string]> = [
      [upgrade('Sec-WebSocket-Version: 13\r\n'), 'Missing or invalid Sec-WebSocket-Key header'],
      [upgrade('Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n'), 'Missing or invalid Sec-WebSocket-Key header'],
      [upgrade('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n'), 'Missing or invalid Sec-WebSocket-Version header'],
    ];
    for (const [head, message] of cases) {
      const answer = await rawExchange(port, head);
      const [headers = '', body = ''] = answer.split('\r\n\r\n');
      expect(headers.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      expect(headers.toLowerCase()).toContain('content-type: application/json; charset=utf-8');
      expect(JSON.parse(body)).toEqual({ error: 'bad_request', message });
    }
  });

  it('closes an oversized frame with 1009 every time (the close handshake is not cut short)', async () => {
    gw = await startGateway(testConfig({ logLevel: 'error' }));
    const url = `${gw.url.replace(/^http/, 'ws')}/api/ws?api_key=${TEST_API_KEY}`;
    const codes: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const socket = new WebSocket(url);
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      socket.send(Buffer.alloc(4 * 1024 * 1024, 0x20), { binary: false }); // still arriving when the gateway refuses it
      codes.push(await closed);
    }
    expect(codes).toEqual(Array(20).fill(1009));
  });

  it('closes an oversized frame with 1009 also when the close frame must wait behind unsent replies', async () => {
    gw = await startGateway(testConfig({ logLevel: 'error' }));
    const url = `${gw.url.replace(/^http/, 'ws')}/api/ws?api_key=${TEST_API_KEY}`;
    const ghosts = JSON.stringify({ type: 'subscribe', deviceIds: Array.from({ length: 3000 }, (_, i) => `ghost-${i}`) });
    const codes: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const socket = new WebSocket(url);
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      socket.pause(); // replies (two errors listing the refused IDs per frame) pile up in the gateway's socket buffer
      const server = () => [...gw.app.websocketServer.clients][0];
      await eventually(() => {
        socket.send(ghosts);
        expect(server()?.bufferedAmount).toBeGreaterThan(0);
      }, { timeoutMs: 20_000, intervalMs: 5 });
      socket.send(Buffer.alloc(70 * 1024, 0x20), { binary: false });
      await eventually(() => expect(server()?.readyState ?? WebSocket.CLOSED).not.toBe(WebSocket.OPEN));
      socket.resume();
      codes.push(await closed);
    }
    expect(codes).toEqual(Array(5).fill(1009));
  }, 60_000);
});
