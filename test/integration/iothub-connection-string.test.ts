import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IOT_HUB_POLICIES, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { generateTlsMaterial } from '../../src/emulator/tls/certificate.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { FakeClock } from '../support/fake-clock.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';
import { logMessages, register } from './support/helpers.js';

let emulator: Emulator | undefined;
let gw: RunningGateway | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await gw?.close();
  if (gw) removeDir(gw.config.stateDir);
  gw = undefined;
  await emulator?.close();
  emulator = undefined;
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

const OWNER_KEY = IOT_HUB_POLICIES.iothubowner!.key;

/** The gateway over AMQP over WebSocket, trusting the emulator's CA (the discovery and the SDK alike). */
function iotHubConfig(connectionString: string, ca: string, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return testConfig({ connectionString, hubTransport: 'websockets', hubCaPem: ca, ...overrides });
}

async function readyz(): Promise<{ status: number; hubState?: unknown; reason?: unknown }> {
  const r = await json(fetch(`${gw?.url}/readyz`));
  return { status: r.status, hubState: r.body.hubState, reason: r.body.reason };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  return port;
}

/** No log line holds a key, a SAS token or a connection string. */
function expectNoSecrets(keys: string[]): void {
  const text = gw?.lines.join('\n') ?? '';
  for (const key of keys) expect(text).not.toContain(key);
  expect(text).not.toMatch(/SharedAccessSignature|sig=|SharedAccessKey=|Endpoint=sb:|HostName=/);
}

describe('gateway with an IoT Hub connection string', () => {
  it('discovers the Event Hub-compatible endpoint and stores and serves the exact messages sent', async () => {
    emulator = await startEmulator({ tls: true, partitions: 2 });
    const ca = readFileSync(emulator.caFile!, 'utf8');
    gw = await startGateway(iotHubConfig(emulator.iotHubConnectionString!, ca));
    expect((await register(gw, 'meter-1')).status).toBe(202);
    await eventually(async () => expect(await readyz()).toEqual({ status: 200, hubState: 'connected', reason: null }), { timeoutMs: 20_000 });
    const sent = await emulator.send('meter-1', JSON.stringify({ voltages: [230.1, 230.2, 230.3] }), { contentType: 'application/json', properties: { alert: true } });
    const history = await eventually(async () => {
      const r = await json(gw!.api('/api/devices/meter-1/telemetry'));
      expect(r.body.items).toHaveLength(1);
      return r.body.items;
    });
    expect(history).toEqual([{
      deviceId: 'meter-1', moduleId: null, enqueuedTime: sent.enqueuedTime.toISOString(), partitionId: sent.partitionId,
      sequenceNumber: sent.sequenceNumber, offset: sent.offset, contentType: 'application/json', contentEncoding: null, messageId: null,
      properties: { alert: true }, creationTime: null, body: { voltages: [230.1, 230.2, 230.3] }, bodyEncoding: 'json',
    }]);
    const latest = await json(gw.api('/api/telemetry?deviceId=meter-1'));
    expect(latest.body).toEqual({ deviceId: 'meter-1', timestamp: sent.enqueuedTime.toISOString(), isConnected: true, voltages: [230.1, 230.2, 230.3] });
    expect(logMessages(gw)).toContain(`hub consumer discovered the Event Hub-compatible endpoint localhost:${emulator.amqpPort}, event hub 'iothub-ehub-local'`);
    expectNoSecrets([OWNER_KEY]);
  });

  it('a wrong key: unauthorized (401) in the log and /readyz within seconds, no secret logged', async () => {
    emulator = await startEmulator({ tls: true, partitions: 1 });
    const ca = readFileSync(emulator.caFile!, 'utf8');
    const wrongKey = Buffer.from('a-wrong-key-for-the-test').toString('base64');
    const started = Date.now();
    gw = await startGateway(iotHubConfig(`HostName=localhost:${emulator.amqpPort};SharedAccessKeyName=iothubowner;SharedAccessKey=${wrongKey}`, ca));
    await register(gw, 'meter-1');
    const ready = await eventually(async () => {
      const r = await readyz();
      expect(r.status).toBe(503);
      expect(r.hubState).toBe('error');
      return r;
    }, { timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ready.reason).toBe("unauthorized: the IoT hub refused the connection string's credentials (401: wrong SharedAccessKey or SharedAccessKeyName, or this machine's clock is off); copy the policy's connection string again");
    const errors = gw.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50).map((l) => l.msg);
    expect(errors).toContain(`hub consumer error: IoT Hub endpoint discovery failed: ${String(ready.reason)} (wss://localhost:${emulator.amqpPort}/$servicebus/websocket: SASL PLAIN refused: Failed to authenticate: 2)`);
    expectNoSecrets([wrongKey, OWNER_KEY]);
  });

  it('names each other failure in /readyz: no service connect, unknown host, untrusted TLS', async () => {
    emulator = await startEmulator({ tls: true, partitions: 1 });
    const ca = readFileSync(emulator.caFile!, 'utf8');
    const host = `localhost:${emulator.amqpPort}`;
    const cases: [string, Partial<GatewayConfig>, RegExp][] = [
      [`HostName=${host};SharedAccessKeyName=registryRead;SharedAccessKey=${IOT_HUB_POLICIES.registryRead!.key}`, {}, /^iothub_policy_not_permitted: .*'service connect'.*'service' or 'iothubowner'/],
      [`HostName=no-such-hub.invalid;SharedAccessKeyName=iothubowner;SharedAccessKey=${OWNER_KEY}`, {}, /^iothub_host_not_found: /],
      [emulator.iotHubConnectionString!, { hubCaPem: null }, /^tls_untrusted: .*NODE_EXTRA_CA_CERTS.*HUB_CA_FILE/],
    ];
    for (const [connectionString, overrides, reason] of cases) {
      gw = await startGateway(iotHubConfig(connectionString, ca, overrides));
      await register(gw, 'meter-1');
      await eventually(async () => {
        const r = await readyz();
        expect(r.status).toBe(503);
        expect(String(r.reason)).toMatch(reason);
      }, { timeoutMs: 10_000 });
      expectNoSecrets([OWNER_KEY, IOT_HUB_POLICIES.registryRead!.key]);
      await gw.close();
      removeDir(gw.config.stateDir);
      gw = undefined;
    }
  });

  it('reopens with a fresh discovery once the error state lasted HUB_REDISCOVER_AFTER on the clock', async () => {
    const material = await generateTlsMaterial('localhost');
    const certFile = join(dirname(material.caFile), 'cert.pem');
    const keyFile = join(dirname(material.caFile), 'key.pem');
    writeFileSync(certFile, material.cert);
    writeFileSync(keyFile, material.key);
    const port = await freePort();
    const clock = new FakeClock(Date.now());
    const connectionString = `HostName=localhost:${port};SharedAccessKeyName=iothubowner;SharedAccessKey=${OWNER_KEY}`;
    gw = await startGateway(iotHubConfig(connectionString, readFileSync(material.caFile, 'utf8'), { hubRediscoverAfterS: 30 }), { clock });
    try {
      await register(gw, 'meter-1');
      await eventually(async () => expect(await readyz()).toEqual({ status: 503, hubState: 'error', reason: 'hub_unreachable' }));
      emulator = await startEmulator({ tls: { certFile, keyFile, caFile: material.caFile }, amqpPort: port, partitions: 1 });
      clock.advance(29_999);
      await new Promise((r) => setTimeout(r, 500));
      expect(await readyz()).toEqual({ status: 503, hubState: 'error', reason: 'hub_unreachable' });
      const reopening = () => logMessages(gw!).filter((m) => m.startsWith('hub consumer reopening')).length;
      expect(reopening()).toBe(0);
      clock.advance(1);
      await eventually(async () => expect(await readyz()).toEqual({ status: 200, hubState: 'connected', reason: null }), { timeoutMs: 15_000 });
      expect(reopening()).toBe(1);
      const sent = await emulator.send('meter-1', '{"t":21.5}');
      await eventually(async () => expect((await json(gw!.api('/api/telemetry?deviceId=meter-1'))).body).toEqual({ deviceId: 'meter-1', timestamp: sent.enqueuedTime.toISOString(), isConnected: true, t: 21.5 }));
    } finally {
      await material.dispose();
    }
  });

  it('a hub that never answers: discovery timeout after 10 s on the clock', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket: Socket) => sockets.push(socket.on('error', () => undefined).resume()));
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const clock = new FakeClock(Date.now());
    gw = await startGateway(testConfig({ connectionString: `HostName=127.0.0.1:${port};SharedAccessKeyName=iothubowner;SharedAccessKey=${OWNER_KEY}` }), { clock });
    await register(gw, 'meter-1');
    await eventually(async () => expect((await readyz()).hubState).toBe('connecting'));
    clock.advance(9_999);
    expect((await readyz()).hubState).toBe('connecting');
    clock.advance(1);
    await eventually(async () => expect(await readyz()).toMatchObject({ status: 503, reason: expect.stringMatching(/^iothub_discovery_timeout: /) as unknown }));
    expect(logMessages(gw).some((m) => m.includes(`127.0.0.1:${port}: no redirect within 10000 ms`))).toBe(true);
    await eventually(() => expect(sockets.every((s) => s.destroyed || s.closed)).toBe(true));
  });
});
