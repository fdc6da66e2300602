import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/env-schema.js';
import { decodeBody } from '../../src/telemetry/decode.js';
import { decodeProtobufBody, loadProtoFile } from '../../src/telemetry/protobuf-body.js';

const PROTO = fileURLToPath(new URL('../fixtures/telemetry.proto', import.meta.url));
const types = loadProtoFile(PROTO);
/** Encoded with protobufjs's own reflection, independent of the decoder's options. */
const Reading = protobuf.loadSync(PROTO).lookupType('telemetry.Reading');
const reading = Buffer.from(Reading.encode(Reading.fromObject({
  sensor: 'kitchen', temperature: 21.5, counter: '9007199254740993', raw: Buffer.from([1, 2, 3]), level: 2, samples: [1, -2], inner: { ok: true },
})).finish());

const READING_JSON = {
  sensor: 'kitchen', temperature: 21.5, counter: '9007199254740993', raw: 'AQID', level: 'HIGH', samples: [1, -2], inner: { ok: true }, humidity: 0,
};

describe('decoding Protobuf bodies', () => {
  it('decodes a message named by the application property, with exact 64-bit integers, enum names, base64 bytes and defaults', () => {
    expect(decodeBody(reading, 'application/x-protobuf', null, { protoTypes: types, protoType: 'telemetry.Reading' }))
      .toStrictEqual({ body: READING_JSON, bodyEncoding: 'json', bodyFormat: ['protobuf'] });
  });

  it('takes the type from a messageType or proto content type parameter, before the property', () => {
    const options = { protoTypes: types, protoType: 'telemetry.Inner' };
    for (const contentType of ['application/x-protobuf; messageType=telemetry.Reading', 'application/protobuf; proto="telemetry.Reading"', 'application/vnd.google.protobuf;messagetype=.telemetry.Reading']) {
      expect(decodeBody(reading, contentType, null, options)).toStrictEqual({ body: READING_JSON, bodyEncoding: 'json', bodyFormat: ['protobuf'] });
    }
  });

  it('fills proto3 defaults of an empty message', () => {
    expect(decodeProtobufBody(new Uint8Array(0), types, 'telemetry.Reading')).toStrictEqual({
      ok: true, value: { samples: [], sensor: '', temperature: 0, counter: '0', raw: '', level: 'LEVEL_UNSPECIFIED', inner: null, humidity: 0 },
    });
  });

  it('is a decode error keeping the bytes for an unknown type, no type, no PROTO_FILE or bad bytes', () => {
    const raw = reading.toString('base64');
    const failure = (error: string) => ({ body: raw, bodyEncoding: 'base64', error });
    expect(decodeBody(reading, 'application/x-protobuf', null, { protoTypes: types, protoType: 'telemetry.Nope' }))
      .toStrictEqual(failure('Protobuf message type telemetry.Nope is not in PROTO_FILE'));
    expect(decodeBody(reading, 'application/x-protobuf; messageType=telemetry.Level', null, { protoTypes: types }))
      .toStrictEqual(failure('Protobuf message type telemetry.Level is not in PROTO_FILE'));
    expect(decodeBody(reading, 'application/x-protobuf', null, { protoTypes: types })).toStrictEqual(failure('Protobuf body without a message type'));
    expect(decodeBody(reading, 'application/x-protobuf', null, { protoType: 'telemetry.Reading' })).toStrictEqual(failure('Protobuf body but no PROTO_FILE configured'));
    const bad = Buffer.from([0x0a, 0x05, 0x41]);
    expect(decodeBody(bad, 'application/x-protobuf', null, { protoTypes: types, protoType: 'telemetry.Reading' }))
      .toStrictEqual({ body: 'CgVB', bodyEncoding: 'base64', error: 'not a valid telemetry.Reading Protobuf body: index out of range: 2 + 5 > 3' });
  });

  it('refuses a missing or broken PROTO_FILE with a configuration error', () => {
    expect(() => loadProtoFile('/nonexistent/x.proto')).toThrow(/^Invalid configuration PROTO_FILE: \/nonexistent\/x\.proto: ENOENT/);
    const broken = fileURLToPath(new URL('../fixtures/broken.proto', import.meta.url));
    expect(() => loadProtoFile(broken)).toThrow(ConfigError);
    expect(() => loadProtoFile(broken)).toThrow(/^Invalid configuration PROTO_FILE: .*broken\.proto: /);
  });
});
