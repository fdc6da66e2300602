import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type SendOptions } from '../../src/emulator/index.js';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';
import { WsClient } from './live-clients.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY, json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';
import { logMessages, metric, register } from './support/helpers.js';

const PROTO = fileURLToPath(new URL('../fixtures/telemetry.proto', import.meta.url));
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
/** CBOR by hand (RFC 8949): { "b": h'010203', "t": 0("2013-03-21T20:04:00Z"), "n": NaN, 1: "one" }. */
const CBOR_MAP = hex('a4 6162 43010203 6174 c074 323031332d30332d32315432303a30343a30305a 616e f97e00 01 636f6e65');

describe('compressed and binary bodies end to end', () => {
  let emulator: Emulator;
  let gw: RunningGateway;
  const Reading = protobuf.loadSync(PROTO).lookupType('telemetry.Reading');
  const reading = Buffer.from(Reading.encode(Reading.fromObject({ sensor: 'hall', temperature: 19.25, counter: '12', level: 1 })).finish());
  const readingJson = { samples: [], sensor: 'hall', temperature: 19.25, counter: '12', raw: '', level: 'LOW', inner: null, humidity: 0 };

  beforeAll(async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, protoFile: PROTO }));
    await register(gw, 'fmt-1');
    await eventually(() => expect(gw.app.registry.get('fmt-1')?.status).toBe('registered'));
  });
  afterAll(async () => {
    await gw.close();
    await emulator.close();
    removeDir(gw.config.stateDir);
  });

  /** Sends one message from fmt-1 over AMQP and returns it as the history endpoint serves it. */
  async function roundTrip(body: Uint8Array, options: SendOptions = {}): Promise<TelemetryMessage> {
    const sent = await emulator.send('fmt-1', body, options);
    return eventually(async () => {
      const item = ((await json(gw.api('/api/devices/fmt-1/telemetry?limit=1'))).body.items ?? [])[0];
      expect(item?.sequenceNumber).toBe(sent.sequenceNumber);
      return item as TelemetryMessage;
    });
  }

  it('stores a gzip body of {"t":1} as {"t":1} by contentEncoding, by application property and by magic bytes', async () => {
    const gz = gzipSync('{"t":1}');
    const before = await metric(gw, 'gateway_decode_errors_total');
    const variants: SendOptions[] = [{ contentEncoding: 'gzip' }, { properties: { 'content-encoding': 'gzip' } }, { properties: { contentEncoding: 'gzip' } }, {}];
    for (const options of variants) {
      expect(await roundTrip(gz, options)).toMatchObject({ body: { t: 1 }, bodyEncoding: 'json', bodyFormat: ['gzip'] });
    }
    expect(await roundTrip(deflateSync('{"t":2}'), { contentEncoding: 'deflate' })).toMatchObject({ body: { t: 2 }, bodyEncoding: 'json', bodyFormat: ['deflate'] });
    expect(await metric(gw, 'gateway_decode_errors_total')).toBe(before);
  });

  it('injects a gzip body through the control API as base64 and serves bodyFormat on REST and WebSocket', async () => {
    const ws = await WsClient.connect(`${gw.url.replace(/^http/, 'ws')}/api/ws?api_key=${TEST_API_KEY}`);
    ws.send({ type: 'subscribe', deviceIds: ['fmt-1'] });
    await ws.waitFor((m) => m.type === 'subscribed');
    const response = await fetch(`http://127.0.0.1:${emulator.httpPort}/_emulator/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'fmt-1', bodyBase64: gzipSync('{"t":3}').toString('base64'), contentType: 'application/json', contentEncoding: 'gzip' }),
    });
    expect(response.status).toBe(204);
    const live = await ws.waitFor((m) => m.type === 'telemetry');
    expect(live).toMatchObject({ type: 'telemetry', deviceId: 'fmt-1', body: { t: 3 }, bodyEncoding: 'json', bodyFormat: ['gzip'] });
    ws.close();
    const item = ((await json(gw.api('/api/devices/fmt-1/telemetry?limit=1'))).body.items ?? [])[0];
    expect(item).toMatchObject({ body: { t: 3 }, bodyFormat: ['gzip'], contentEncoding: 'gzip' });
  });

  it('counts a zip bomb (~110 KiB inflating to 110 MiB) as a decode error, keeps it as base64 and stores the next message', async () => {
    const bomb = gzipSync(Buffer.alloc(110 * 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeGreaterThan(100 * 1024);
    const before = await metric(gw, 'gateway_decode_errors_total');
    const kept = await roundTrip(bomb, { contentType: 'application/json', contentEncoding: 'gzip' });
    expect(kept.body).toBe(bomb.toString('base64'));
    expect(kept.bodyEncoding).toBe('base64');
    expect(kept.bodyFormat).toBeUndefined();
    expect(await metric(gw, 'gateway_decode_errors_total')).toBe(before + 1);
    expect(logMessages(gw).filter((l) => l.includes(`sequence number ${kept.sequenceNumber}: gzip body inflates past 1048576 bytes (MAX_INFLATED_BODY); kept as base64`))).toHaveLength(1);
    expect(await roundTrip(gzipSync('{"after":true}'))).toMatchObject({ body: { after: true }, bodyFormat: ['gzip'] });
    expect((await gw.api('/healthz')).status).toBe(200);
  });

  it('decodes a CBOR map with a byte string, a date tag and NaN, also gzip-compressed', async () => {
    const expected = { b: 'AQID', t: '2013-03-21T20:04:00.000Z', n: null, 1: 'one' };
    expect(await roundTrip(CBOR_MAP, { contentType: 'application/cbor' })).toMatchObject({ body: expected, bodyEncoding: 'json', bodyFormat: ['cbor'] });
    const latest = await json(gw.api('/api/telemetry?deviceId=fmt-1'));
    expect(latest.body).toMatchObject({ deviceId: 'fmt-1', isConnected: true, ...expected });
    expect(await roundTrip(gzipSync(CBOR_MAP), { contentType: 'application/cbor', contentEncoding: 'gzip' }))
      .toMatchObject({ body: expected, bodyFormat: ['gzip', 'cbor'] });
  });

  it('decodes Protobuf by the messageType application property and by the content type parameter', async () => {
    expect(await roundTrip(reading, { contentType: 'application/x-protobuf', properties: { messageType: 'telemetry.Reading' } }))
      .toMatchObject({ body: readingJson, bodyEncoding: 'json', bodyFormat: ['protobuf'] });
    expect(await roundTrip(reading, { contentType: 'application/protobuf; messageType=telemetry.Reading' }))
      .toMatchObject({ body: readingJson, bodyEncoding: 'json', bodyFormat: ['protobuf'] });
  });

  it('keeps a Protobuf body of an unknown type as base64 with a counted, logged decode error', async () => {
    const before = await metric(gw, 'gateway_decode_errors_total');
    const kept = await roundTrip(reading, { contentType: 'application/x-protobuf', properties: { messageType: 'telemetry.Missing' } });
    expect(kept).toMatchObject({ body: reading.toString('base64'), bodyEncoding: 'base64', properties: { messageType: 'telemetry.Missing' } });
    expect(kept.bodyFormat).toBeUndefined();
    expect(await metric(gw, 'gateway_decode_errors_total')).toBe(before + 1);
    expect(logMessages(gw).filter((l) => l.endsWith(`sequence number ${kept.sequenceNumber}: Protobuf message type telemetry.Missing is not in PROTO_FILE; kept as base64`))).toHaveLength(1);
  });
});

describe('PROTO_FILE at start', () => {
  it('refuses to start with a PROTO_FILE that does not parse', async () => {
    const config = testConfig({ connectionString: 'Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=k;SharedAccessKey=a2V5;EntityPath=hub', protoFile: fileURLToPath(new URL('../fixtures/broken.proto', import.meta.url)) });
    try {
      await expect(startGateway(config)).rejects.toThrow(/^Invalid configuration PROTO_FILE: .*broken\.proto: /);
    } finally {
      removeDir(config.stateDir);
    }
  });
});
