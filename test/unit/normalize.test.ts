import type { ReceivedEventData } from '@azure/event-hubs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { normalizeEvent, type NormalizeResult } from '../../src/telemetry/normalize.js';
import { loadProtoFile } from '../../src/telemetry/protobuf-body.js';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';

/**
 * An event as `@azure/event-hubs` hands it to `processEvents` with `skipParsingBodyAsJson` (a plain object of the
 * SDK's own type, not a mock of the client). Times are asserted through `toISOString()`, which does not depend on the
 * host's zone. The zone cannot be changed inside a running process, so one test runs normalizeEvent in a child
 * process with `TZ=America/New_York`.
 */
function event(overrides: Partial<ReceivedEventData> = {}, system: Record<string, unknown> = {}): ReceivedEventData {
  return {
    body: Buffer.from('{"temp":40}'),
    enqueuedTimeUtc: new Date(1614286551122),
    offset: '4294967296',
    sequenceNumber: 7,
    partitionKey: null,
    properties: {},
    systemProperties: { 'iothub-connection-device-id': 'dev-1', 'iothub-message-source': 'Telemetry', ...system },
    getRawAmqpMessage: () => {
      throw new Error('not used by normalizeEvent');
    },
    ...overrides,
  };
}

function telemetry(result: NormalizeResult): TelemetryMessage {
  if (result.kind !== 'telemetry') throw new Error(`expected telemetry, got ${result.kind}`);
  return result.message;
}

describe('normalizeEvent', () => {
  it('normalizes a device message into exactly the TelemetryMessage fields', () => {
    const result = normalizeEvent(
      event(
        { contentType: 'application/json', messageId: 'm-1', properties: { temperatureAlert: 'false', level: 3 } },
        { contentEncoding: 'utf-8' },
      ),
      '1',
    );
    expect(result).toStrictEqual({
      kind: 'telemetry',
      message: {
        deviceId: 'dev-1',
        moduleId: null,
        enqueuedTime: '2021-02-25T20:55:51.122Z',
        partitionId: '1',
        sequenceNumber: 7,
        offset: '4294967296',
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        messageId: 'm-1',
        properties: { temperatureAlert: 'false', level: 3 },
        creationTime: null,
        body: { temp: 40 },
        bodyEncoding: 'json',
      },
    });
    expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
  });

  it('reads content encoding put in the application properties by the device', () => {
    const plain = telemetry(normalizeEvent(event({ body: Buffer.from('{ "temp": 40 }'), properties: { contentEncoding: 'utf-8' } }), '0'));
    expect(plain.body).toStrictEqual({ temp: 40 });
    expect(plain.bodyEncoding).toBe('json');
    expect(plain.contentType).toBeNull();
    expect(plain.contentEncoding).toBe('utf-8');
    expect(plain.properties).toStrictEqual({ contentEncoding: 'utf-8' });

    const utf16 = Buffer.from('{ "temp": 40 }', 'utf16le');
    const wide = telemetry(normalizeEvent(event({ body: utf16, properties: { 'Content-Encoding': 'utf-16' } }), '0'));
    expect(wide.body).toStrictEqual({ temp: 40 });
    expect(wide.contentEncoding).toBe('utf-16');
  });

  it('prefers the system content encoding (content_encoding) over the application property', () => {
    const utf16 = Buffer.from('"x"', 'utf16le');
    const message = telemetry(normalizeEvent(event({ body: utf16, properties: { contentEncoding: 'utf-8' } }, { contentEncoding: 'utf-16le' }), '0'));
    expect(message).toMatchObject({ contentEncoding: 'utf-16le', body: 'x', bodyEncoding: 'json' });
  });

  it('records a module message with its module ID and keeps an array body as one message', () => {
    const body = Buffer.from('[{"label":"face","confidence":"0.95"}]');
    const message = telemetry(normalizeEvent(event({ body }, { 'iothub-connection-module-id': 'camera' }), '3'));
    expect(message.moduleId).toBe('camera');
    expect(message.body).toStrictEqual([{ label: 'face', confidence: '0.95' }]);
    expect(message.bodyEncoding).toBe('json');
  });

  it('passes a decode error on with the message, which keeps its body as text', () => {
    const result = normalizeEvent(event({ body: Buffer.from('{ Temperature: 4095}') }), '0');
    expect(result.kind).toBe('telemetry');
    expect(result).toMatchObject({ message: { body: '{ Temperature: 4095}', bodyEncoding: 'text' } });
    expect(result.kind === 'telemetry' && result.decodeError).toMatch(/^invalid JSON: /);
    expect(normalizeEvent(event({ body: Buffer.alloc(0) }), '0')).toMatchObject({ decodeError: 'empty body', message: { body: '' } });
    expect(normalizeEvent(event(), '0')).not.toHaveProperty('decodeError');
  });

  it('answers declared binary with base64 and no error', () => {
    const result = normalizeEvent(event({ body: Buffer.from([0x00, 0x9a, 0xff, 0xfe, 0x80, 0x01]), contentType: 'application/octet-stream' }), '0');
    expect(result).not.toHaveProperty('decodeError');
    expect(telemetry(result)).toMatchObject({ body: 'AJr//oAB', bodyEncoding: 'base64', contentType: 'application/octet-stream' });
  });

  it('keeps application property types: strings, numbers, booleans; Dates as ISO, binary as base64', () => {
    const properties = {
      temperatureAlert: 'false',
      level: 3,
      ratio: 0.5,
      ok: true,
      none: null,
      at: new Date(Date.UTC(2021, 1, 25, 20, 55, 51, 122)),
      raw: Buffer.from([0xde, 0xad]),
      odd: Number.NaN,
    };
    expect(telemetry(normalizeEvent(event({ properties }), '0')).properties).toStrictEqual({
      temperatureAlert: 'false',
      level: 3,
      ratio: 0.5,
      ok: true,
      none: null,
      at: '2021-02-25T20:55:51.122Z',
      raw: '3q0=',
      odd: 'NaN',
    });
  });

  it('writes message IDs as strings: numbers in decimal, uuids in canonical form, absent as null', () => {
    const uuid = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    const id = (messageId: ReceivedEventData['messageId']): string | null => telemetry(normalizeEvent(event({ messageId }), '0')).messageId;
    expect(id(42)).toBe('42');
    expect(id(uuid)).toBe('01234567-89ab-cdef-0123-456789abcdef');
    expect(id('abc')).toBe('abc');
    expect(id(undefined)).toBeNull();
  });

  it('reads the creation time from iothub-creation-time-utc (application, else system property), in UTC', () => {
    const creation = (properties: Record<string, unknown>, system: Record<string, unknown> = {}): string | null =>
      telemetry(normalizeEvent(event({ properties }, system), '0')).creationTime;
    expect(creation({ 'iothub-creation-time-utc': '2021-02-25T20:55:51.1220000Z' })).toBe('2021-02-25T20:55:51.122Z');
    expect(creation({ 'iothub-creation-time-utc': '2021-02-25T21:55:51.122+01:00' })).toBe('2021-02-25T20:55:51.122Z');
    expect(creation({ 'iothub-creation-time-utc': '2021-02-25T20:55:51.122' })).toBe('2021-02-25T20:55:51.122Z');
    expect(creation({}, { 'iothub-creation-time-utc': '2021-02-25T20:55:50Z' })).toBe('2021-02-25T20:55:50.000Z');
    expect(creation({ 'iothub-creation-time-utc': 'yesterday' })).toBeNull();
    expect(creation({ 'iothub-creation-time-utc': '5' })).toBeNull();
    expect(creation({})).toBeNull();
  });

  it('gives enqueued time 1614286551122 ms as 2021-02-25T20:55:51.122Z whatever the host zone', () => {
    expect(telemetry(normalizeEvent(event(), '0')).enqueuedTime).toBe('2021-02-25T20:55:51.122Z');
  });

  it('gives the same times in a process whose zone is America/New_York', async () => {
    const moduleUrl = new URL('../../src/telemetry/normalize.ts', import.meta.url).href;
    const script = `
      const { normalizeEvent } = await import(${JSON.stringify(moduleUrl)});
      const result = normalizeEvent({
        body: Buffer.from('{}'), enqueuedTimeUtc: new Date(1614286551122), offset: '0', sequenceNumber: 0,
        partitionKey: null, properties: { 'iothub-creation-time-utc': '2021-02-25T20:55:51.122' },
        systemProperties: { 'iothub-connection-device-id': 'dev-1' },
      }, '0');
      console.log(JSON.stringify({ hour: new Date(1614286551122).getHours(), message: result.message }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: 'America/New_York' },
    });
    const out = JSON.parse(stdout) as { hour: number; message: TelemetryMessage };
    expect(out.hour).toBe(15); // the child really runs in New York (UTC-5 in February)
    expect(out.message.enqueuedTime).toBe('2021-02-25T20:55:51.122Z');
    expect(out.message.creationTime).toBe('2021-02-25T20:55:51.122Z');
  });

  it('classifies other message sources as non-telemetry, absent source as telemetry', () => {
    expect(normalizeEvent(event({}, { 'iothub-message-source': 'twinChangeEvents' }), '0')).toStrictEqual({
      kind: 'non-telemetry',
      messageSource: 'twinChangeEvents',
      deviceId: 'dev-1',
    });
    const lifecycle = event({}, { 'iothub-message-source': 'deviceLifecycleEvents', 'iothub-connection-device-id': undefined });
    expect(normalizeEvent(lifecycle, '0')).toStrictEqual({ kind: 'non-telemetry', messageSource: 'deviceLifecycleEvents', deviceId: null });
    expect(normalizeEvent(event({}, { 'iothub-message-source': undefined }), '0').kind).toBe('telemetry');
  });

  it('leaves the body of a device nobody watches undecoded: only its ID and enqueued time', () => {
    const watched = (id: string) => id === 'dev-2';
    expect(normalizeEvent(event({ body: Buffer.from('{ Temperature: 4095}') }), '3', watched)).toStrictEqual({
      kind: 'not-watched', deviceId: 'dev-1', enqueuedTime: '2021-02-25T20:55:51.122Z',
    });
    const other = normalizeEvent(event({}, { 'iothub-connection-device-id': 'dev-2' }), '3', watched);
    expect(telemetry(other).body).toEqual({ temp: 40 });
  });

  it('answers no-device-id for a missing, empty or non-string device ID', () => {
    for (const deviceId of [undefined, '', 42, null]) {
      expect(normalizeEvent(event({}, { 'iothub-connection-device-id': deviceId }), '0')).toStrictEqual({ kind: 'no-device-id' });
    }
    expect(normalizeEvent(event({ systemProperties: undefined }), '0')).toStrictEqual({ kind: 'no-device-id' });
  });

  it('decodes defensively a body that is not a Buffer', () => {
    expect(telemetry(normalizeEvent(event({ body: undefined }), '0'))).toMatchObject({ body: '', bodyEncoding: 'text' });
    expect(telemetry(normalizeEvent(event({ body: { already: 'parsed' } }), '0'))).toMatchObject({ body: { already: 'parsed' }, bodyEncoding: 'json' });
    expect(telemetry(normalizeEvent(event({ body: 'plain words' }), '0'))).toMatchObject({ body: 'plain words', bodyEncoding: 'text' });
  });

  it('inflates by the application content encoding, and decodes Protobuf named by the configured property', () => {
    const gz = telemetry(normalizeEvent(event({ body: gzipSync('{"t":1}'), properties: { 'content-encoding': 'gzip' } }, { contentEncoding: 'utf-8' }), '0'));
    expect(gz).toMatchObject({ body: { t: 1 }, bodyEncoding: 'json', bodyFormat: ['gzip'], contentEncoding: 'utf-8' });
    const types = loadProtoFile(fileURLToPath(new URL('../fixtures/telemetry.proto', import.meta.url)));
    const inner = types.lookupType('telemetry.Inner');
    const body = Buffer.from(inner.encode({ ok: true }).finish());
    const options = { protoTypes: types, protoTypeProperty: 'schema' };
    const pb = telemetry(normalizeEvent(event({ body, contentType: 'application/x-protobuf', properties: { schema: 'telemetry.Inner' } }), '0', undefined, options));
    expect(pb).toMatchObject({ body: { ok: true }, bodyEncoding: 'json', bodyFormat: ['protobuf'] });
    const unnamed = normalizeEvent(event({ body, contentType: 'application/x-protobuf', properties: { messageType: 'telemetry.Inner' } }), '0', undefined, options);
    expect(unnamed).toMatchObject({ kind: 'telemetry', decodeError: 'Protobuf body without a message type', message: { body: body.toString('base64'), bodyEncoding: 'base64' } });
    expect(Object.hasOwn(telemetry(normalizeEvent(event(), '0')), 'bodyFormat')).toBe(false);
  });
});
