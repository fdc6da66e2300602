import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from './support/eventually.js';
import { logMessages, metric, register } from './support/helpers.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';

describe('gateway on the emulator', () => {
  let emulator: Emulator;
  let gw: RunningGateway;
  beforeEach(async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString }));
  });
  afterEach(async () => {
    await gw.close();
    await emulator.close();
    removeDir(gw.config.stateDir);
  });

  it('stores a registered device message, serves it in the REST API shapes and drops another device', async () => {
    expect((await register(gw, 'meter-1')).status).toBe(202);
    await eventually(async () => expect((await json(fetch(`${gw.url}/readyz`))).status).toBe(200));
    await eventually(async () => expect((await json(gw.api('/api/devices'))).body.devices?.[0]?.status).toBe('registered'));
    const sent = await emulator.send('meter-1', JSON.stringify({ voltages: [12.1, 12.2, 12.3], currents: [1.1, 1.2, 1.3] }));
    await emulator.send('someone-else', JSON.stringify({ voltages: [1] }));
    const latest = await eventually(async () => {
      const r = await json(gw.api('/api/telemetry?deviceId=meter-1'));
      expect(r.body.timestamp).not.toBeNull();
      return r;
    });
    expect(latest).toEqual({
      status: 200,
      body: { deviceId: 'meter-1', timestamp: sent.enqueuedTime.toISOString(), isConnected: true, voltages: [12.1, 12.2, 12.3], currents: [1.1, 1.2, 1.3] },
    });
    expect(Object.keys(latest.body)).toEqual(['deviceId', 'timestamp', 'isConnected', 'voltages', 'currents']);
    const devices = await json(gw.api('/api/devices'));
    expect(devices.body).toEqual({
      devices: [{ deviceId: 'meter-1', registeredAt: expect.stringMatching(/Z$/) as unknown, lastSeen: sent.enqueuedTime.toISOString(), status: 'registered', isConnected: true, units: {} }],
      defaultDevice: null,
      patterns: [],
    });
    await eventually(async () => expect(await metric(gw, 'gateway_events_dropped_total{reason="not_watched"}')).toBe(1));
    expect(await metric(gw, 'gateway_events_stored_total')).toBe(1);
    expect(await metric(gw, 'gateway_events_received_total')).toBe(2);
    expect((await gw.app.store.latest('someone-else'))).toBeUndefined();
    const history = await json(gw.api('/api/devices/meter-1/telemetry'));
    expect(history.body.items).toEqual([{
      deviceId: 'meter-1', moduleId: null, enqueuedTime: sent.enqueuedTime.toISOString(), partitionId: sent.partitionId,
      sequenceNumber: sent.sequenceNumber, offset: sent.offset, contentType: null, contentEncoding: null, messageId: null,
      properties: {}, creationTime: null, body: { voltages: [12.1, 12.2, 12.3], currents: [1.1, 1.2, 1.3] }, bodyEncoding: 'json',
    }]);
    expect(logMessages(gw)).toContain(`telemetry meter-1 ${sent.enqueuedTime.toISOString()} {"voltages":[12.1,12.2,12.3],"currents":[1.1,1.2,1.3]}`);
    expect((await json(gw.api('/api/unregister-device/meter-1', { method: 'DELETE' }))).status).toBe(200);
    await eventually(() => expect(emulator.stats().connections).toBe(0));
    expect((await json(gw.api('/api/telemetry?deviceId=meter-1'))).status).toBe(404);
  });
});
