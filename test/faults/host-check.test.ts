import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from '../integration/support/gateway.js';
import { exactRequest, rawExchange } from './support/exact-request.js';

const MISDIRECTED = { status: 421, error: 'misdirected_request' };
const upgrade = (host: string) =>
  `GET /api/ws?api_key=${TEST_API_KEY} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

describe('the Host header is checked against ALLOWED_HOSTS before anything else', () => {
  let gw: RunningGateway | undefined;
  const start = async (overrides: Partial<GatewayConfig> = {}) => {
    gw = await startGateway(testConfig(overrides));
    return gw;
  };
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });
  /** Status and error code of `GET path` with that Host header (and the key). */
  const withHost = async (host: string | null, path = '/api/devices') => {
    const answer = await exactRequest(gw!.url, 'GET', path, { host, 'x-api-key': TEST_API_KEY });
    const body = answer.body.startsWith('{') ? (JSON.parse(answer.body) as { error?: string; message?: string }) : {};
    return { status: answer.status, error: body.error };
  };

  it('default loopback list: loopback names and 127.0.0.0/8 pass, any other name gets 421 misdirected_request', async () => {
    const { url } = await start();
    const port = new URL(url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LocalHost', `[::1]:${port}`, '[::1]', '127.0.0.2', `127.255.0.9:${port}`]) {
      expect({ host, ...(await withHost(host)) }).toEqual({ host, status: 200, error: undefined });
    }
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, 'localhost.', '128.0.0.1',
      `127.0.0.1@evil.example`, '::1', `[::2]:${port}`, 'localhost:abc', '', '0x7f.0.0.1', '127.1']) {
      expect({ host, ...(await withHost(host)) }).toEqual({ host, ...MISDIRECTED });
    }
    const answer = await exactRequest(url, 'GET', '/api/devices', { host: 'rebound.example' });
    expect(JSON.parse(answer.body)).toEqual({
      error: 'misdirected_request',
      message: 'this gateway does not answer for host rebound.example: add it to ALLOWED_HOSTS',
    });
  });

  it('answers 421 ahead of the key check, the dashboard files, health and the WebSocket upgrade', async () => {
    const { url } = await start();
    for (const path of ['/', '/app.js', '/healthz', '/no-such-path', '/api/devices?api_key=wrong']) {
      expect({ path, ...(await withHost('evil.example', path)) }).toEqual({ path, ...MISDIRECTED });
    }
    const refused = await rawExchange(url, upgrade('evil.example'));
    expect({ statusLine: refused.statusLine, body: JSON.parse(refused.body) as unknown }).toMatchObject({
      statusLine: 'HTTP/1.1 421 Misdirected Request', body: { error: 'misdirected_request' },
    });
    const accepted = await rawExchange(url, upgrade('127.0.0.1'));
    expect(accepted.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('a missing Host gets 421 unless any host is allowed', async () => {
    const { url } = await start();
    const answer = await rawExchange(url, 'GET /healthz HTTP/1.0\r\n\r\n');
    expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toMatchObject({ status: 421, body: { error: 'misdirected_request' } });
    await gw!.close();
    removeDir(gw!.config.stateDir);

    const open = await start({ allowedHosts: null });
    expect((await rawExchange(open.url, 'GET /healthz HTTP/1.0\r\n\r\n')).status).toBe(200);
    expect(await withHost('anything.example')).toEqual({ status: 200, error: undefined });
  });

  it('an explicit list is exact: its names, any port and case, and nothing else (not even loopback)', async () => {
    await start({ allowedHosts: ['gw.example', 'fe80::1'] });
    for (const host of ['gw.example', 'GW.Example:443', '[fe80::1]:5000']) {
      expect({ host, ...(await withHost(host)) }).toEqual({ host, status: 200, error: undefined });
    }
    for (const host of ['127.0.0.1', 'localhost', 'other.example', 'gw.example.evil']) {
      expect({ host, ...(await withHost(host)) }).toEqual({ host, ...MISDIRECTED });
    }
  });
});
