import { describe, expect, it } from 'vitest';
import { eventually, useHttpApiFixture } from './helpers.js';

const fx = useHttpApiFixture();

describe('device HTTP API', () => {
  it('enqueues the raw body with the iothub-* headers; iothub-app-<Name> keeps its case', async () => {
    const body = Buffer.from('{"temperature": 21.5}\n');
    const response = await fx.post('/devices/thermo-1/messages/events', body, {
      'Content-Type': 'application/octet-stream',
      'iothub-contenttype': 'application/json',
      'iothub-contentencoding': 'utf-8',
      'iothub-messageid': 'msg-1',
      'iothub-correlationid': 'corr-1',
      'iothub-creation-time-utc': '2024-05-06T07:08:09.010Z',
      'iothub-app-temperatureAlert': 'true',
      'IoTHub-App-Zone': 'north',
    });
    expect(response.status).toBe(204);
    const [event] = await eventually(() => {
      const found = fx.eventsOf('thermo-1');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(Buffer.compare(event?.body as Buffer, body)).toBe(0);
    expect(event?.properties).toEqual({ temperatureAlert: 'true', Zone: 'north', 'iothub-creation-time-utc': '2024-05-06T07:08:09.010Z' });
    expect(event?.contentType).toBe('application/json');
    expect(event?.systemProperties?.['contentEncoding']).toBe('utf-8');
    expect(event?.messageId).toBe('msg-1');
    expect(event?.correlationId).toBe('corr-1');
    expect(event?.systemProperties?.['iothub-message-source']).toBe('Telemetry');
    expect(event?.partitionKey).toBeUndefined();
  });

  it('keeps the raw bytes whatever the HTTP Content-Type says (invalid JSON, text, latin-1)', async () => {
    const bodies = [Buffer.from('{"not json'), Buffer.from('plain text'), Buffer.from([0x63, 0x61, 0x66, 0xe9])];
    const types = ['application/json', 'text/plain; charset=utf-8', 'text/plain; charset=iso-8859-1'];
    for (const [i, body] of bodies.entries()) {
      expect((await fx.post('/devices/raw-1/messages/events', body, { 'Content-Type': types[i] as string })).status).toBe(204);
    }
    const events = await eventually(() => {
      const found = fx.eventsOf('raw-1');
      expect(found).toHaveLength(3);
      return found;
    });
    expect(events.map((e) => [...(e.body as Buffer)])).toEqual(bodies.map((b) => [...b]));
    expect(events.map((e) => e.contentType)).toEqual([undefined, undefined, undefined]);
  });

  it('accepts module messages and an empty body without content type', async () => {
    expect((await fx.post('/devices/gateway-1/modules/filter%231/messages/events', 'm')).status).toBe(204);
    expect((await fetch(`${fx.base}/devices/gateway-1/messages/events`, { method: 'POST' })).status).toBe(204);
    const events = await eventually(() => {
      const found = fx.eventsOf('gateway-1');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(events[0]?.systemProperties?.['iothub-connection-module-id']).toBe('filter#1');
    expect((events[0]?.body as Buffer).toString()).toBe('m');
    expect(events[1]?.systemProperties?.['iothub-connection-module-id']).toBeUndefined();
    expect((events[1]?.body as Buffer).length).toBe(0);
  });

  it('answers 400 for an invalid device ID and accepts a 128-character one', async () => {
    const special = "-.%_*?!(),:=@$'+#;";
    const longId = `${special}${'a'.repeat(128 - special.length)}`;
    expect((await fx.post(`/devices/${encodeURIComponent(longId)}/messages/events`, 'x')).status).toBe(204);
    expect((await fx.post(`/devices/${encodeURIComponent(`${longId}b`)}/messages/events`, 'x')).status).toBe(400);
    expect((await fx.post('/devices/bad%20id/messages/events', 'x')).status).toBe(400);
    expect((await fx.post('/devices/bad%2Fid/messages/events', 'x')).status).toBe(400);
    expect((await fx.post('/devices/ok/modules/bad%20module/messages/events', 'x')).status).toBe(400);
    await eventually(() => expect(fx.eventsOf(longId)).toHaveLength(1));
    expect(fx.reader.events).toHaveLength(1);
  });

  it('accepts a 256 KiB body and answers 413 above it', async () => {
    const max = Buffer.alloc(256 * 1024, 0x61);
    expect((await fx.post('/devices/big-1/messages/events', max, { 'Content-Type': 'application/octet-stream' })).status).toBe(204);
    const tooBig = Buffer.alloc(256 * 1024 + 1, 0x61);
    expect((await fx.post('/devices/big-1/messages/events', tooBig, { 'Content-Type': 'application/octet-stream' })).status).toBe(413);
    const [event] = await eventually(() => {
      const found = fx.eventsOf('big-1');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(Buffer.compare(event?.body as Buffer, max)).toBe(0);
  });
});
