import { storedHistory } from './support/gateway.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type SendOptions } from '../../src/emulator/index.js';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';
import { logMessages, metric, register } from './support/helpers.js';

// Times must not depend on the host's zone: run this whole gateway in New York time.
process.env.TZ = 'America/New_York';

describe('decoding real-world bodies end to end', () => {
  let emulator: Emulator;
  let gw: RunningGateway;
  beforeAll(async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString }));
    await register(gw, 'dec-1');
    await eventually(() => expect(gw.app.registry.get('dec-1')?.status).toBe('registered'));
  });
  afterAll(async () => {
    await gw.close();
    await emulator.close();
    removeDir(gw.config.stateDir);
  });

  /** Sends one message from dec-1 and returns it as the history endpoint serves it. */
  async function roundTrip(body: string | Uint8Array, options: SendOptions = {}): Promise<TelemetryMessage> {
    const sent = await emulator.send('dec-1', body, options);
    return eventually(async () => {
      const items = (await json(gw.api('/api/devices/dec-1/telemetry?limit=1'))).body.items ?? [];
      const item = items[0];
      expect(item?.sequenceNumber).toBe(sent.sequenceNumber);
      expect(item?.enqueuedTime).toBe(sent.enqueuedTime.toISOString());
      return item as TelemetryMessage;
    });
  }

  it('runs in a zone other than UTC yet serves UTC times with Z', () => {
    expect(new Date(1614286551122).getTimezoneOffset()).toBe(300);
  });

  it('parses JSON sent without content type, with contentEncoding in the application properties', async () => {
    const m = await roundTrip('{ "temp": 40 }', { properties: { contentEncoding: 'utf-8' } });
    expect(m).toMatchObject({ body: { temp: 40 }, bodyEncoding: 'json', contentType: null, contentEncoding: 'utf-8' });
    expect(m.enqueuedTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('strips a UTF-8 BOM', async () => {
    const m = await roundTrip(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"temperature":21.5}')]));
    expect(m).toMatchObject({ body: { temperature: 21.5 }, bodyEncoding: 'json' });
    const latest = await json(gw.api('/api/telemetry?deviceId=dec-1'));
    expect(latest.body).toEqual({ deviceId: 'dec-1', timestamp: m.enqueuedTime, isConnected: true, temperature: 21.5 });
  });

  it('keeps broken JSON and an empty body as text, counts decode errors, and goes on', async () => {
    const before = await metric(gw, 'gateway_decode_errors_total');
    const broken = await roundTrip('{ Temperature: 4095}');
    expect(broken).toMatchObject({ body: '{ Temperature: 4095}', bodyEncoding: 'text' });
    const latest = await json(gw.api('/api/telemetry?deviceId=dec-1'));
    expect(latest.body).toEqual({ deviceId: 'dec-1', timestamp: broken.enqueuedTime, isConnected: true, body: '{ Temperature: 4095}', bodyEncoding: 'text' });
    const empty = await roundTrip('');
    expect(empty).toMatchObject({ body: '', bodyEncoding: 'text' });
    expect(await metric(gw, 'gateway_decode_errors_total')).toBe(before + 2);
    expect(logMessages(gw).filter((l) => l.startsWith('decode error: device dec-1 partition'))).toHaveLength(2);
    const line = new RegExp(`^decode error: device dec-1 partition ${broken.partitionId} sequence number ${broken.sequenceNumber}: .+; kept as text$`);
    expect(logMessages(gw).filter((l) => line.test(l))).toHaveLength(1);
    const next = await roundTrip('{"ok":true}');
    expect(next).toMatchObject({ body: { ok: true }, bodyEncoding: 'json' });
  });

  it('serves declared binary as base64 without a decode error', async () => {
    const before = await metric(gw, 'gateway_decode_errors_total');
    const m = await roundTrip(Uint8Array.from([0x00, 0x9a, 0xff, 0xfe, 0x80, 0x01]), { contentType: 'application/octet-stream' });
    expect(m).toMatchObject({ body: 'AJr//oAB', bodyEncoding: 'base64', contentType: 'application/octet-stream' });
    expect(await metric(gw, 'gateway_decode_errors_total')).toBe(before);
  });

  it('keeps a module array body as one message with its moduleId and string values', async () => {
    const m = await roundTrip('[{"label":"face","confidence":"0.95"}]', { moduleId: 'vision' });
    expect(m).toMatchObject({ moduleId: 'vision', body: [{ label: 'face', confidence: '0.95' }], bodyEncoding: 'json' });
    const latest = await json(gw.api('/api/telemetry?deviceId=dec-1'));
    expect(latest.body).toEqual({
      deviceId: 'dec-1', timestamp: m.enqueuedTime, isConnected: true, body: [{ label: 'face', confidence: '0.95' }], bodyEncoding: 'json',
    });
  });

  it('keeps application property types sent through the control API', async () => {
    const before = (await storedHistory(gw!.app, 'dec-1')).length;
    const response = await fetch(`http://127.0.0.1:${emulator.httpPort}/_emulator/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'dec-1', body: '{"t":1}', properties: { temperatureAlert: 'false', level: 3 } }),
    });
    expect(response.status).toBe(204);
    await eventually(async () => expect((await storedHistory(gw!.app, 'dec-1')).length).toBe(before + 1));
    const items = (await json(gw.api('/api/devices/dec-1/telemetry?limit=1'))).body.items ?? [];
    expect(items[0]?.properties).toEqual({ temperatureAlert: 'false', level: 3 });
  });
});
