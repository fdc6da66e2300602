import { describe, expect, it } from 'vitest';
import type { EmulatorStats } from '../../src/emulator/index.js';
import { eventually, useHttpApiFixture } from './helpers.js';

const fx = useHttpApiFixture();

describe('control API', () => {
  it('POST /_emulator/events injects non-telemetry events with typed properties', async () => {
    const response = await fx.post('/_emulator/events', JSON.stringify({
      deviceId: 'twin-device',
      moduleId: 'mod-a',
      messageSource: 'twinChangeEvents',
      body: '{"version":2}',
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      properties: { opType: 'updateTwin', hubName: 'local', count: 7, ratio: 0.25, ok: true },
    }), { 'Content-Type': 'application/json' });
    expect(response.status).toBe(204);
    const binary = await fx.post('/_emulator/events', JSON.stringify({ deviceId: 'twin-device', bodyBase64: Buffer.from([0, 1, 254, 255]).toString('base64') }), { 'Content-Type': 'application/json' });
    expect(binary.status).toBe(204);
    const events = await eventually(() => {
      const found = fx.eventsOf('twin-device');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(events[0]?.systemProperties?.['iothub-message-source']).toBe('twinChangeEvents');
    expect(events[0]?.systemProperties?.['iothub-connection-module-id']).toBe('mod-a');
    expect(events[0]?.properties).toEqual({ opType: 'updateTwin', hubName: 'local', count: 7, ratio: 0.25, ok: true });
    expect((events[0]?.body as Buffer).toString()).toBe('{"version":2}');
    expect(events[1]?.systemProperties?.['iothub-message-source']).toBe('Telemetry');
    expect([...(events[1]?.body as Buffer)]).toEqual([0, 1, 254, 255]);
  });

  it('POST /_emulator/devices/{id}/hub-events injects each kind with IoT Hub\'s properties and body', async () => {
    const json = { 'Content-Type': 'application/json' };
    const at = '2026-02-01T08:00:00.000Z';
    const twin = await fx.post('/_emulator/devices/hub-device/hub-events', JSON.stringify({ kind: 'updateTwin', operationTimestamp: at, body: { version: 5 } }), json);
    expect(twin.status).toBe(200);
    const lifecycle = await fx.post('/_emulator/devices/hub-device/hub-events', JSON.stringify({ kind: 'createDeviceIdentity', moduleId: 'mod-b' }), json);
    expect(lifecycle.status).toBe(200);
    const events = await eventually(() => {
      const found = fx.eventsOf('hub-device');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(events[0]?.systemProperties?.['iothub-message-source']).toBe('twinChangeEvents');
    expect(events[0]?.contentType).toBe('application/json');
    expect(events[0]?.properties).toEqual({
      hubName: 'iothub-ehub-local', deviceId: 'hub-device', opType: 'updateTwin', 'iothub-message-schema': 'twinChangeNotification', operationTimestamp: at,
    });
    expect((events[0]?.body as Buffer).toString()).toBe('{"version":5}');
    expect(events[1]?.systemProperties?.['iothub-message-source']).toBe('deviceLifecycleEvents');
    expect(events[1]?.systemProperties?.['iothub-connection-module-id']).toBe('mod-b');
    expect(events[1]?.properties).toMatchObject({ moduleId: 'mod-b', opType: 'createDeviceIdentity', 'iothub-message-schema': 'deviceLifecycleNotification' });
    expect(JSON.parse((events[1]?.body as Buffer).toString())).toMatchObject({ deviceId: 'hub-device', moduleId: 'mod-b', status: 'enabled' });
    for (const bad of [{ kind: 'reboot' }, { kind: 'updateTwin', colour: 'red' }]) {
      expect((await fx.post('/_emulator/devices/hub-device/hub-events', JSON.stringify(bad), json)).status).toBe(400);
    }
    expect((await fx.post('/_emulator/devices/bad%20id/hub-events', JSON.stringify({ kind: 'deviceConnected' }), json)).status).toBe(400);
  });

  it('POST /_emulator/events answers 400 for a bad body', async () => {
    const json = { 'Content-Type': 'application/json' };
    expect((await fx.post('/_emulator/events', JSON.stringify({ body: 'x' }), json)).status).toBe(400);
    expect((await fx.post('/_emulator/events', JSON.stringify({ deviceId: 'bad id', body: 'x' }), json)).status).toBe(400);
    expect((await fx.post('/_emulator/events', JSON.stringify({ deviceId: 'd', body: 'x', bodyBase64: 'eA==' }), json)).status).toBe(400);
    expect((await fx.post('/_emulator/events', JSON.stringify({ deviceId: 'd', body: 'x', properties: { nested: { a: 1 } } }), json)).status).toBe(400);
    expect((await fx.post('/_emulator/events', JSON.stringify({ deviceId: 'd', body: 'x', colour: 'red' }), json)).status).toBe(400);
    expect((await fx.post('/_emulator/faults', JSON.stringify({ type: 'explode' }), json)).status).toBe(400);
    expect((await fx.post('/_emulator/faults', JSON.stringify({ type: 'stall' }), json)).status).toBe(400);
  });

  it('GET /_emulator/stats has the documented shape', async () => {
    const sent = await fx.emulator.send('stats-device', 's');
    const response = await fetch(`${fx.base}/_emulator/stats`);
    expect(response.status).toBe(200);
    const stats = (await response.json()) as EmulatorStats;
    expect(stats).toEqual(fx.emulator.stats());
    expect(stats.connections).toBe(1);
    expect(stats.receivers).toEqual(['0', '1', '2', '3'].map((partitionId) => ({ partitionId, consumerGroup: '$Default', ownerLevel: null })));
    expect(stats.partitions.map((p) => p.partitionId)).toEqual(['0', '1', '2', '3']);
    const partition = stats.partitions.find((p) => p.partitionId === sent.partitionId);
    expect(partition).toEqual({ partitionId: sent.partitionId, beginSequenceNumber: 0, lastEnqueuedSequenceNumber: sent.sequenceNumber });
  });
});
