import { afterEach, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MemoryTelemetryStore } from '../../src/store/memory-telemetry-store.js';
import { WsClient } from './live-clients.js';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';
import { eventually } from './support/eventually.js';
import { logMessages, metric } from './support/helpers.js';

const DEVICE = 'ahead-dev';

let emulator: Emulator | undefined;
let gw: RunningGateway | undefined;
let client: WsClient | undefined;
afterEach(async () => {
  client?.close();
  await gw?.close();
  if (gw) removeDir(gw.config.stateDir);
  await emulator?.close();
  gw = undefined;
  emulator = undefined;
});

it('a checkpoint past the partition\'s last event (a new hub log) is reported: an error line, a metric and a status event', async () => {
  emulator = await startEmulator();
  const partition = emulator.partitionOf(DEVICE);
  for (let i = 0; i < 3; i += 1) await emulator.send(DEVICE, JSON.stringify({ i }));
  // The store holds the checkpoint of an earlier log of this hub: sequence number 65 on a partition that is at 2.
  const store = new MemoryTelemetryStore(1000);
  const namespace = new URL(emulator.connectionString.split(';')[0]!.replace(/^Endpoint=/, '')).hostname;
  const hub = /EntityPath=([^;]+)/.exec(emulator.connectionString)![1]!;
  store.checkpointStore.record([{ fullyQualifiedNamespace: namespace, eventHubName: hub, consumerGroup: '$Default', partitionId: partition, sequenceNumber: 65, offset: '650000' }]);
  gw = await startGateway(testConfig({ connectionString: emulator.connectionString }), { store });
  client = await WsClient.connect(`${gw.url.replace('http', 'ws')}/api/ws?api_key=${TEST_API_KEY}`);
  await client.roundTrip();
  expect((await gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: DEVICE }) })).status).toBe(202);

  const reason = `checkpoint_ahead: partition ${partition}'s checkpoint (sequence number 65) is past the hub's last event (2): ` +
    "the hub's log is not the one the store's checkpoints were written for (a recreated hub, or an emulator restarted without --data-file), " +
    'so its events up to sequence number 65 are skipped; to read them, start the gateway on a new STATE_DIR (embedded), Redis database or CONSUMER_GROUP';
  const pushed = await client.waitFor((m) => m.type === 'status' && String(m.reason).startsWith('checkpoint_ahead'));
  expect(pushed).toMatchObject({ type: 'status', reason });
  await eventually(async () => expect(await metric(gw!, `gateway_hub_checkpoint_ahead_total{partition="${partition}"}`)).toBe(1));
  expect(logMessages(gw).filter((m) => m === `hub consumer ${reason}`)).toHaveLength(1);
}, 30_000);
