import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testConfig, type RunningGateway } from '../integration/support/gateway.js';

/** Writes `raw` on a fresh socket and resolves with every byte read until the server closes it (at most 5 s). */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('the server kept the socket open for 5 s')), 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

const statusLines = (text: string) => text.match(/^HTTP\/1\.1 \d{3} .*$/gm) ?? [];

describe('one request gets one answer', () => {
  let gateway: RunningGateway;
  let port: number;
  beforeAll(async () => {
    gateway = await startGateway(testConfig());
    port = Number(new URL(gateway.url).port);
  });
  afterAll(() => gateway.close());

  it('a HEAD followed by unframed bytes: one answer without a body, as a HEAD answer must be', async () => {
    const answer = await exchange(port, 'HEAD /api/devices HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\nfalse');
    expect(statusLines(answer)).toHaveLength(1);
    expect(answer.endsWith('\r\n\r\n')).toBe(true);
  });

  it.each([
    ['a malformed path with a chunked body', 'HEAD /index.html% HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\ne\r\n{"deviceId":0}\r\n0\r\n\r\n'],
    ['a malformed path with a sized body', 'GET /api/ws% HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 14\r\n\r\n{"deviceId":0}'],
    ['a malformed path followed by unframed bytes', 'HEAD /index.html% HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n{"deviceId":0}'],
    ['a malformed path followed by garbage', 'GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\u0001\u0002 not http\r\n\r\n'],
  ])('%s: exactly one status line, in the error shape', async (_name, raw) => {
    const answer = await exchange(port, raw);
    expect(statusLines(answer)).toEqual(['HTTP/1.1 400 Bad Request']);
    expect(answer).toMatch(/content-type: application\/json/i);
  });
});
