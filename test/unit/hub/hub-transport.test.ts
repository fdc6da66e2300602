import { rootCertificates } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BoundedProxyAgent } from '../../../src/hub/bounded-proxy-agent.js';
import { createHubTransport, hubTransportLines } from '../../../src/hub/create-hub-transport.js';
import { proxyForUrl, redactProxy } from '../../../src/hub/proxy-for-url.js';

const PROXY = 'http://alice:s3cr%40t@proxy.corp:3128';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('proxyForUrl', () => {
  it("applies NO_PROXY as proxy-from-env does: exact host, subdomains, host:port, '*'", () => {
    const hub = 'wss://myhub.servicebus.windows.net:443/$servicebus/websocket';
    expect(proxyForUrl(hub, PROXY, [])).toBe(PROXY);
    expect(proxyForUrl(hub, PROXY, ['myhub.servicebus.windows.net'])).toBeNull();
    expect(proxyForUrl(hub, PROXY, ['.servicebus.windows.net'])).toBeNull();
    expect(proxyForUrl(hub, PROXY, ['*.windows.net'])).toBeNull();
    expect(proxyForUrl(hub, PROXY, ['servicebus.windows.net'])).toBe(PROXY);
    expect(proxyForUrl(hub, PROXY, ['myhub.servicebus.windows.net:5671'])).toBe(PROXY);
    expect(proxyForUrl('wss://localhost:40123/$servicebus/websocket', PROXY, ['localhost:40123'])).toBeNull();
    expect(proxyForUrl('wss://localhost:40123/$servicebus/websocket', PROXY, ['*'])).toBeNull();
    expect(proxyForUrl(hub, null, [])).toBeNull();
  });

  it("decides from the config's values alone and leaves process.env as it was", () => {
    process.env.HTTPS_PROXY = 'http://other:1';
    process.env.no_proxy = 'myhub.example';
    delete process.env.NO_PROXY;
    expect(proxyForUrl('wss://myhub.example/', PROXY, [])).toBe(PROXY);
    expect(proxyForUrl('wss://myhub.example/', null, [])).toBeNull();
    expect(process.env.HTTPS_PROXY).toBe('http://other:1');
    expect(process.env.no_proxy).toBe('myhub.example');
    expect('NO_PROXY' in process.env).toBe(false);
    expect('https_proxy' in process.env).toBe(false);
  });

  it('redacts credentials', () => {
    expect(redactProxy(PROXY)).toBe('http://proxy.corp:3128');
    expect(redactProxy('https://proxy.corp')).toBe('https://proxy.corp');
    expect(redactProxy('not a url')).toBe('an invalid proxy URL');
  });
});

describe('createHubTransport', () => {
  const config = { hubTransport: 'websockets' as const, hubCaPem: CA, httpsProxy: PROXY, noProxy: ['localhost'] };

  it('amqp: no WebSocket options, no proxy', () => {
    const t = createHubTransport({ ...config, hubTransport: 'amqp' });
    expect([t.kind, t.caPem, t.webSocketOptions, 'webSocketFor' in t]).toEqual(['amqp', CA, undefined, false]);
    expect(t.proxyFor('wss://myhub.example/')).toBeNull();
  });

  it('websockets: per URL, the CA beside the bundled roots, the bounded handshake and the proxy agent unless NO_PROXY names the host', () => {
    const t = createHubTransport(config, 1234);
    expect(t.kind).toBe('websockets');
    const far = t.webSocketFor?.('wss://myhub.example:443/$servicebus/websocket');
    expect(far?.webSocket).toBe(WebSocket);
    expect(far?.options.ca).toEqual([...rootCertificates, CA]);
    expect(far?.options.handshakeTimeout).toBe(1234);
    expect(far?.options.agent).toBeInstanceOf(BoundedProxyAgent);
    expect((far?.options.agent as BoundedProxyAgent).proxy.href).toBe('http://alice:s3cr%40t@proxy.corp:3128/');
    // One agent for every proxied URL.
    expect(t.webSocketFor?.('wss://other.example/').options.agent).toBe(far?.options.agent);
    const near = t.webSocketFor?.('wss://localhost:40123/$servicebus/websocket');
    expect(near?.options).toEqual({ handshakeTimeout: 1234, ca: [...rootCertificates, CA] });
    expect(t.proxyFor('wss://myhub.example/')).toBe('http://proxy.corp:3128');
    expect(t.proxyFor('wss://localhost:40123/')).toBeNull();
    const Sdk = t.webSocketOptions?.webSocket as unknown as typeof WebSocket;
    expect(Object.getPrototypeOf(Sdk)).toBe(WebSocket);
    expect(t.webSocketOptions?.webSocketConstructorOptions).toEqual({});
  });

  it('websockets without HUB_CA_FILE or HTTPS_PROXY: Node’s store, direct', () => {
    const t = createHubTransport({ hubTransport: 'websockets', hubCaPem: null, httpsProxy: null, noProxy: [] });
    expect(t.webSocketFor?.('wss://myhub.example/').options).toEqual({ handshakeTimeout: 10_000 });
    expect(t.proxyFor('wss://myhub.example/')).toBeNull();
  });
});

describe('hubTransportLines', () => {
  it('names the transport, the CA and the proxy without credentials', () => {
    expect(hubTransportLines({ hubTransport: 'websockets', hubCaPem: CA, httpsProxy: PROXY, noProxy: ['localhost', '.corp'] }, '')).toEqual({
      info: 'hub transport: websockets (AMQP over WebSocket, wss port 443 unless the endpoint names one), CA from HUB_CA_FILE trusted, through proxy http://proxy.corp:3128 (with credentials) except NO_PROXY=localhost,.corp',
      warn: [],
    });
    expect(hubTransportLines({ hubTransport: 'websockets', hubCaPem: null, httpsProxy: null, noProxy: [] }, '/tmp/ca.pem').info).toBe(
      'hub transport: websockets (AMQP over WebSocket, wss port 443 unless the endpoint names one), NODE_EXTRA_CA_CERTS=/tmp/ca.pem trusted, no proxy',
    );
  });

  it('amqp: warns of HTTPS_PROXY and HUB_CA_FILE, which do not apply to its connection', () => {
    const lines = hubTransportLines({ hubTransport: 'amqp', hubCaPem: CA, httpsProxy: PROXY, noProxy: [] }, '/tmp/ca.pem');
    expect(lines.info).toBe('hub transport: amqp (AMQP over TLS, port 5671 unless the endpoint names one), NODE_EXTRA_CA_CERTS=/tmp/ca.pem trusted');
    expect(lines.warn).toEqual([
      'HTTPS_PROXY (http://proxy.corp:3128) is not used with HUB_TRANSPORT=amqp, which connects directly (port 5671): set HUB_TRANSPORT=websockets to reach the hub through the proxy on port 443',
      "HUB_CA_FILE serves only the IoT Hub endpoint discovery with HUB_TRANSPORT=amqp: the AMQP connection trusts Node's store and NODE_EXTRA_CA_CERTS (start the gateway with NODE_EXTRA_CA_CERTS=<the same file>), or set HUB_TRANSPORT=websockets",
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cr');
    expect(JSON.stringify(lines)).not.toContain('alice');
  });
});
