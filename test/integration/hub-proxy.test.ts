import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { freePort } from '../support/free-port.js';
import { skipWithoutTinyproxy, startTinyproxy, type Tinyproxy } from '../support/tinyproxy.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, storedHistory, testConfig, type RunningGateway } from './support/gateway.js';
import { logMessages, register } from './support/helpers.js';

const PASSWORD = 'Pr0xyPassw0rd';

describe.skipIf(skipWithoutTinyproxy)('AMQP over WebSocket through a real HTTP proxy (tinyproxy)', () => {
  let emulator: Emulator;
  let ca: string;
  let proxy: Tinyproxy;
  let gw: RunningGateway | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ tls: true, partitions: 2 });
    ca = readFileSync(emulator.caFile as string, 'utf8');
    proxy = await startTinyproxy({ basicAuth: { user: 'gateway', password: PASSWORD } });
  });
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });
  afterAll(async () => {
    await proxy?.stop();
    await emulator?.close();
  });

  const readyz = async () => (await json(fetch(`${gw?.url}/readyz`))).body;
  const start = (overrides: Parameters<typeof testConfig>[0]) =>
    startGateway(testConfig({ connectionString: emulator.connectionString, hubTransport: 'websockets', ...overrides }));

  /** Sends three messages once the gateway reads, and expects exactly them stored and served, in order. */
  async function flows(device: string): Promise<void> {
    const running = gw as RunningGateway;
    expect((await register(running, device)).status).toBe(202);
    await eventually(async () => expect(await readyz()).toEqual({ status: 'ready', hubState: 'connected', reason: null }), { timeoutMs: 15_000 });
    const sent = [];
    for (const n of [1, 2, 3]) sent.push(await emulator.send(device, JSON.stringify({ n, through: 'wss' })));
    const stored = await eventually(async () => {
      const items = await storedHistory(running.app, device);
      expect(items).toHaveLength(3);
      return items;
    });
    expect(stored.map((m) => [m.partitionId, m.sequenceNumber, m.body])).toEqual(sent.map((s, i) => [s.partitionId, s.sequenceNumber, { n: i + 1, through: 'wss' }]));
    const served = await json(running.api(`/api/devices/${device}/telemetry`));
    expect(served.body.items?.map((m) => [m.sequenceNumber, m.enqueuedTime, m.body])).toEqual(
      sent.map((s, i) => [s.sequenceNumber, s.enqueuedTime.toISOString(), { n: i + 1, through: 'wss' }]).reverse(),
    );
  }

  it('HTTPS_PROXY: telemetry flows through the tunnel the proxy logs as CONNECT localhost:<port>, and its password is never logged', async () => {
    const before = proxy.connects().length;
    const url = `http://gateway:${PASSWORD}@127.0.0.1:${proxy.port}`;
    gw = await start({ hubCaPem: ca, httpsProxy: url });
    await flows('wss-proxied');
    const tunnels = proxy.connects().slice(before);
    // One WebSocket carries the SDK's whole connection.
    expect(tunnels).toEqual([`localhost:${emulator.amqpPort}`]);
    expect(proxy.log()).toContain(`CONNECT localhost:${emulator.amqpPort} HTTP/1.1`);
    expect(logMessages(gw).find((m) => m.startsWith('hub transport:'))).toMatch(
      new RegExp(`^hub transport: websockets \\(AMQP over WebSocket, wss port 443 unless the endpoint names one\\), CA from HUB_CA_FILE trusted, .*through proxy http://127\\.0\\.0\\.1:${proxy.port} \\(with credentials\\)$`),
    );
    expect(gw.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('an IoT Hub connection string: the endpoint discovery and the SDK both tunnel through the proxy', async () => {
    const before = proxy.connects().length;
    gw = await start({ connectionString: emulator.iotHubConnectionString as string, hubCaPem: ca, httpsProxy: `http://gateway:${PASSWORD}@127.0.0.1:${proxy.port}` });
    await flows('wss-iothub-proxied');
    const tunnels = proxy.connects().slice(before);
    // The discovery's WebSocket, then the SDK's (the emulator serves both on one port).
    expect(tunnels).toEqual([`localhost:${emulator.amqpPort}`, `localhost:${emulator.amqpPort}`]);
    expect(gw.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('NO_PROXY=localhost: telemetry flows directly, the proxy sees no CONNECT', async () => {
    const before = proxy.connects().length;
    gw = await start({ hubCaPem: ca, httpsProxy: `http://gateway:${PASSWORD}@127.0.0.1:${proxy.port}`, noProxy: ['localhost'] });
    await flows('wss-direct');
    expect(proxy.connects().slice(before)).toEqual([]);
    expect(logMessages(gw).find((m) => m.startsWith('hub transport:'))).toMatch(/, through proxy http:\/\/127\.0\.0\.1:\d+ \(with credentials\) except NO_PROXY=localhost$/);
  });

  it('a proxy that is not listening: proxy_unreachable in /readyz and a clear log line within 5 s, without its password', async () => {
    const closed = await freePort();
    gw = await start({ hubCaPem: ca, httpsProxy: `http://gateway:${PASSWORD}@127.0.0.1:${closed}` });
    const t0 = Date.now();
    expect((await register(gw, 'wss-no-proxy')).status).toBe(202);
    await eventually(async () => expect(await readyz()).toEqual({ status: 'not_ready', hubState: 'error', reason: 'proxy_unreachable' }), { timeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(5000);
    const status = await json(fetch(`${gw.url}/readyz`));
    expect(status.status).toBe(503);
    expect(logMessages(gw)).toContain(
      `hub consumer cannot read the partitions' positions: proxy_unreachable: the proxy in HTTPS_PROXY cannot be reached: check HTTPS_PROXY's host and port and that the proxy is running, or list the hub's host in NO_PROXY to connect without it (ProxyUnreachable: proxy http://127.0.0.1:${closed} unreachable: connect ECONNREFUSED 127.0.0.1:${closed})`,
    );
    expect(gw.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('an IoT Hub connection string and a proxy that is not listening: the discovery fails with proxy_unreachable', async () => {
    const closed = await freePort();
    gw = await start({ connectionString: emulator.iotHubConnectionString as string, hubCaPem: ca, httpsProxy: `http://gateway:${PASSWORD}@127.0.0.1:${closed}` });
    expect((await register(gw, 'wss-iothub-no-proxy')).status).toBe(202);
    await eventually(async () => expect(await readyz()).toEqual({ status: 'not_ready', hubState: 'error', reason: 'proxy_unreachable' }), { timeoutMs: 5000 });
    const line = logMessages(gw).find((m) => m.includes('IoT Hub endpoint discovery failed'));
    expect(line).toContain(
      `IoT Hub endpoint discovery failed: proxy_unreachable (wss://localhost:${emulator.amqpPort}/$servicebus/websocket: the proxy in HTTPS_PROXY cannot be reached: check HTTPS_PROXY's host and port and that the proxy is running, or list the hub's host in NO_PROXY to connect without it (ProxyUnreachable: proxy http://127.0.0.1:${closed} unreachable: connect ECONNREFUSED 127.0.0.1:${closed}))`,
    );
    expect(gw.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('a proxy that accepts connections and never answers: proxy_unreachable once the 10 s CONNECT bound passes', async () => {
    const frozen = await startTinyproxy();
    try {
      process.kill(frozen.pid, 'SIGSTOP');
      gw = await start({ hubCaPem: ca, httpsProxy: frozen.url });
      const t0 = Date.now();
      expect((await register(gw, 'wss-frozen-proxy')).status).toBe(202);
      await eventually(async () => expect(await readyz()).toEqual({ status: 'not_ready', hubState: 'error', reason: 'proxy_unreachable' }), { timeoutMs: 14_000, intervalMs: 200 });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(10_000);
      expect(logMessages(gw)).toContain(
        `hub consumer cannot read the partitions' positions: proxy_unreachable: the proxy in HTTPS_PROXY cannot be reached: check HTTPS_PROXY's host and port and that the proxy is running, or list the hub's host in NO_PROXY to connect without it (ProxyUnreachable: proxy ${frozen.url} unreachable: no answer to CONNECT localhost:${emulator.amqpPort} within 10000 ms)`,
      );
    } finally {
      await frozen.stop();
    }
  }, 25_000);

  it('the proxy asks for credentials (407): proxy_refused saying to put them in HTTPS_PROXY', async () => {
    gw = await start({ hubCaPem: ca, httpsProxy: `http://127.0.0.1:${proxy.port}` });
    expect((await register(gw, 'wss-no-auth')).status).toBe(202);
    await eventually(async () => expect(await readyz()).toEqual({ status: 'not_ready', hubState: 'error', reason: 'proxy_refused' }), { timeoutMs: 5000 });
    expect(logMessages(gw)).toContain(
      `hub consumer cannot read the partitions' positions: proxy_refused: the proxy requires authentication (407): put its user and password in HTTPS_PROXY (http://user:password@host:port) (ProxyRefused: proxy http://127.0.0.1:${proxy.port} answered CONNECT localhost:${emulator.amqpPort} with 407 Proxy Authentication Required)`,
    );
  });

  it('websockets without the emulator CA: hub_tls_untrusted in /readyz, and the log says how to trust it', async () => {
    gw = await start({ hubCaPem: null, httpsProxy: null });
    expect((await register(gw, 'wss-untrusted')).status).toBe(202);
    await eventually(async () => expect(await readyz()).toEqual({ status: 'not_ready', hubState: 'error', reason: 'hub_tls_untrusted' }), { timeoutMs: 5000 });
    expect(logMessages(gw)).toContain(
      "hub consumer cannot read the partitions' positions: hub_tls_untrusted: the hub's TLS certificate is not trusted: trust its CA: start the gateway with NODE_EXTRA_CA_CERTS=<CA file> (HUB_TRANSPORT=amqp; Node reads it only at start), or set HUB_CA_FILE=<CA file> (HUB_TRANSPORT=websockets and the IoT Hub endpoint discovery); the emulator prints its CA file at start; behind a TLS-inspecting proxy, trust the proxy's CA the same way (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate)",
    );
  });
});
