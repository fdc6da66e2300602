import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from '../integration/support/eventually.js';
import { json, removeDir, tempStateDir, TEST_API_KEY } from '../integration/support/gateway.js';
import { startGatewayChild, type GatewayChild } from './support/gateway-child.js';

let emulator: Emulator;
let gateway: GatewayChild | undefined;
const dirs: string[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ tls: true, partitions: 2 });
});
afterEach(async () => {
  await gateway?.kill();
  gateway = undefined;
});
afterAll(async () => {
  await emulator.close();
  for (const d of dirs) removeDir(d);
});

/** The real gateway over AMQPS, trusting the emulator's CA through NODE_EXTRA_CA_CERTS (read at process start). */
async function start(connectionString: string): Promise<GatewayChild> {
  const dir = tempStateDir();
  dirs.push(dir);
  gateway = await startGatewayChild(dir, {
    IOTHUB_CONNECTION_STRING: connectionString, NODE_EXTRA_CA_CERTS: emulator.caFile!, API_KEY: TEST_API_KEY, DEVICE_ID: 'meter-1',
  });
  return gateway;
}

const readyz = async (g: GatewayChild) => (await json(fetch(`${g.url}/readyz`))).body;

describe('the real gateway process with IOTHUB_CONNECTION_STRING over AMQPS', () => {
  it('discovers the endpoint and serves the telemetry sent', async () => {
    const g = await start(emulator.iotHubConnectionString!);
    await eventually(async () => expect(await readyz(g)).toEqual({ status: 'ready', hubState: 'connected', reason: null }), { timeoutMs: 20_000 });
    const sent = await emulator.send('meter-1', '{"voltage":231.5}');
    const latest = await eventually(async () => {
      const r = await json(fetch(`${g.url}/api/telemetry?deviceId=meter-1`, { headers: { 'x-api-key': TEST_API_KEY } }));
      expect(r.body.timestamp).not.toBeNull();
      return r.body;
    });
    expect(latest).toEqual({ deviceId: 'meter-1', timestamp: sent.enqueuedTime.toISOString(), isConnected: true, voltage: 231.5 });
    expect(g.output()).toContain(`hub consumer discovered the Event Hub-compatible endpoint localhost:${emulator.amqpPort}, event hub 'iothub-ehub-local'`);
    expect(g.output()).not.toMatch(/SharedAccessKey=|SharedAccessSignature|sig=|HostName=/);
  });

  it('a wrong key: a 401-style error line within seconds and /readyz 503 with the reason', async () => {
    const wrongKey = Buffer.from('a-wrong-key-for-the-test').toString('base64');
    const g = await start(`HostName=localhost:${emulator.amqpPort};SharedAccessKeyName=iothubowner;SharedAccessKey=${wrongKey}`);
    const started = Date.now();
    const body = await eventually(async () => {
      const r = await readyz(g);
      expect(r.hubState).toBe('error');
      return r;
    }, { timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(body).toEqual({
      status: 'not_ready', hubState: 'error',
      reason: "unauthorized: the IoT hub refused the connection string's credentials (401: wrong SharedAccessKey or SharedAccessKeyName, or this machine's clock is off); copy the policy's connection string again",
    });
    const line = g.output().split('\n').find((l) => l.includes('IoT Hub endpoint discovery failed'));
    expect(line).toMatch(new RegExp(`hub consumer error: IoT Hub endpoint discovery failed: unauthorized: .*401.*\\(localhost:${emulator.amqpPort}: SASL PLAIN refused: Failed to authenticate: 2\\)`));
    expect(g.output()).not.toContain(wrongKey);
    expect(g.output()).not.toMatch(/SharedAccessSignature|sig=/);
  });
});
