import { Encoder } from 'cbor-x';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeCborBody } from '../../src/telemetry/cbor-body.js';
import { decodeBody } from '../../src/telemetry/decode.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** A map: "b" → h'010203', "t" → tag 0 "2013-03-21T20:04:00Z", "n" → half NaN, 1 → "one" (RFC 8949 encoding by hand). */
const MAP = hex('a4 6162 43010203 6174 c074 323031332d30332d32315432303a30343a30305a 616e f97e00 01 636f6e65');

describe('decoding CBOR bodies', () => {
  it('maps a CBOR map with a byte string, a date tag, NaN and an integer key to strict JSON', () => {
    expect(decodeBody(MAP, 'application/cbor', null)).toStrictEqual({
      body: { b: 'AQID', t: '2013-03-21T20:04:00.000Z', n: null, 1: 'one' }, bodyEncoding: 'json', bodyFormat: ['cbor'],
    });
  });

  it('maps epoch dates, undefined, infinities and 64-bit integers', () => {
    expect(decodeCborBody(hex('c11a514b67b0'))).toStrictEqual({ ok: true, value: '2013-03-21T20:04:00.000Z' });
    expect(decodeCborBody(hex('83 f7 f97c00 f9fc00'))).toStrictEqual({ ok: true, value: [null, null, null] });
    expect(decodeCborBody(hex('82 1bffffffffffffffff 1b0000000000000001'))).toStrictEqual({ ok: true, value: ['18446744073709551615', 1] });
    expect(decodeCborBody(hex('a1 f5 00'))).toStrictEqual({ ok: true, value: { true: 0 } });
  });

  it('takes the content of an unknown tag and a +cbor media type', () => {
    expect(decodeBody(hex('d9270f 6178'), 'application/senml+cbor', null)).toStrictEqual({ body: 'x', bodyEncoding: 'json', bodyFormat: ['cbor'] });
  });

  it('decodes gzip-compressed CBOR', () => {
    expect(decodeBody(gzipSync(MAP), 'application/cbor', 'gzip')).toMatchObject({ bodyEncoding: 'json', bodyFormat: ['gzip', 'cbor'] });
  });

  it('keeps truncated CBOR or trailing bytes as base64 with a decode error', () => {
    const truncated = decodeBody(hex('a2 6161'), 'application/cbor', null);
    expect(truncated).toMatchObject({ body: 'omFh', bodyEncoding: 'base64' });
    expect(truncated.error).toMatch(/^not a valid CBOR body: /);
    expect(decodeBody(hex('01 02'), 'application/cbor', null).error).toBe('not a valid CBOR body: Data read, but end of buffer not reached');
  });

  it('decodes bignums (tags 2 and 3) and refuses one longer than 128 bytes, which would take seconds to convert', () => {
    expect(decodeCborBody(hex('82 c2 49 010000000000000000 c3 49 010000000000000000'))).toStrictEqual({
      ok: true, value: ['18446744073709551616', '-18446744073709551617'],
    });
    expect(decodeCborBody(hex('c2 40'))).toStrictEqual({ ok: true, value: 0 });
    const long = Buffer.concat([hex('c2 59 1000'), Buffer.alloc(4096, 0xff)]);
    expect(decodeBody(long, 'application/cbor', null)).toStrictEqual({
      body: long.toString('base64'), bodyEncoding: 'base64', error: 'not a valid CBOR body: bignum longer than 128 bytes',
    });
    expect(decodeCborBody(hex('c2 61 78'))).toStrictEqual({ ok: false, reason: 'not a valid CBOR body: bignum content is not a byte string' });
  });

  it('round-trips any JSON value', () => {
    const encoder = new Encoder({ useRecords: false });
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const decoded = decodeCborBody(encoder.encode(value));
      expect(decoded.ok).toBe(true);
      expect(JSON.stringify(decoded.ok && decoded.value)).toBe(JSON.stringify(value));
    }));
  });
});
