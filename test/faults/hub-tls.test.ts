import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, tempStateDir } from '../integration/support/gateway.js';
import { startGatewayChild, type GatewayChild } from './support/server-child.js';

interface Readyz {
  status: string;
  hubState: string;
  reason: string | null;
}
interface History {
  items: { sequenceNumber: number; partitionId: string; body: unknown }[];
}

/** AMQPS takes its trust from Node's store, which reads NODE_EXTRA_CA_CERTS only at start: a gateway process each. */
describe('the gateway over AMQPS (HUB_TRANSPORT=amqp) on the TLS emulator', () => {
  let emulator: Emulator;
  let gateway: GatewayChild | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ tls: true, partitions: 2 });
  });
  afterEach(async () => {
    await gateway?.kill();
    gateway = undefined;
    for (const dir of dirs.splice(0)) removeDir(dir);
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const start = (device: string, env: Record<string, string>) => {
    const stateDir = tempStateDir();
    dirs.push(stateDir);
    return startGatewayChild({
      EVENTHUB_CONNECTION_STRING: emulator.connectionString, STATE_DIR: stateDir, STORE: 'memory', DEVICE_ID: device, LOG_LEVEL: 'info', ...env,
    });
  };

  it('with NODE_EXTRA_CA_CERTS = the emulator CA: reads and serves exactly the messages sent', async () => {
    gateway = await start('amqps-trusted', { NODE_EXTRA_CA_CERTS: emulator.caFile as string });
    const running = gateway;
    await eventually(async () => expect((await running.get<Readyz>('/readyz')).body).toEqual({ status: 'ready', hubState: 'connected', reason: null }), { timeoutMs: 20_000 });
    const sent = [];
    for (const n of [1, 2, 3]) sent.push(await emulator.send('amqps-trusted', JSON.stringify({ n, over: 'amqps' })));
    const history = await eventually(async () => {
      const { body } = await running.get<History>('/api/devices/amqps-trusted/telemetry');
      expect(body.items).toHaveLength(3);
      return body.items;
    });
    expect(history.map((m) => [m.partitionId, m.sequenceNumber, m.body])).toEqual(
      sent.map((s, i) => [s.partitionId, s.sequenceNumber, { n: i + 1, over: 'amqps' }]).reverse(),
    );
    expect(running.output()).toContain(`"msg":"hub transport: amqp (AMQP over TLS, port 5671 unless the endpoint names one), NODE_EXTRA_CA_CERTS=${emulator.caFile} trusted"`);
  });

  it('without it: refuses the certificate, hub_tls_untrusted in /readyz (503) and the log; HUB_CA_FILE alone does not trust AMQPS and says so', async () => {
    gateway = await start('amqps-untrusted', { HUB_CA_FILE: emulator.caFile as string });
    const running = gateway;
    const t0 = Date.now();
    await eventually(async () => expect((await running.get<Readyz>('/readyz')).body).toEqual({ status: 'not_ready', hubState: 'error', reason: 'hub_tls_untrusted' }), { timeoutMs: 20_000 });
    expect((await running.get('/readyz')).status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const output = running.output();
    expect(output).toContain(
      "hub consumer cannot read the partitions' positions: hub_tls_untrusted: the hub's TLS certificate is not trusted: trust its CA: start the gateway with NODE_EXTRA_CA_CERTS=<CA file> (HUB_TRANSPORT=amqp; Node reads it only at start)",
    );
    expect(output).toContain('(UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate)');
    expect(output).toContain(
      "HUB_CA_FILE serves only the IoT Hub endpoint discovery with HUB_TRANSPORT=amqp: the AMQP connection trusts Node's store and NODE_EXTRA_CA_CERTS (start the gateway with NODE_EXTRA_CA_CERTS=<the same file>), or set HUB_TRANSPORT=websockets",
    );
  });
});
