import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody, type DecodedBody } from '../../src/telemetry/decode.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const BOM8 = [0xef, 0xbb, 0xbf];

/** UTF-16BE, built by swapping Node's UTF-16LE bytes (independent of the decoder under test). */
function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  return bytes.swap16();
}

/** UTF-32 from code points, written by hand so the test does not trust the library it checks. */
function utf32(text: string, littleEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0) ?? 0);
  const bytes = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => (littleEndian ? bytes.writeUInt32LE(p, i * 4) : bytes.writeUInt32BE(p, i * 4)));
  return bytes;
}

/** Every result must survive a strict JSON round trip unchanged (no NaN/Infinity, no undefined bodies). */
function expectStrictJson(result: DecodedBody): void {
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
}

describe('decodeBody: text encodings', () => {
  it('strips a UTF-8 BOM before parsing JSON', () => {
    const result = decodeBody(Buffer.from([...BOM8, ...utf8('{"temperature":21.5}')]));
    expect(result).toStrictEqual({ body: { temperature: 21.5 }, bodyEncoding: 'json' });
  });

  it('detects UTF-16LE and UTF-16BE by their BOM, with no content encoding declared', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"temp":40,"city":"Zürich"}', 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('{"temp":41}')]);
    expect(decodeBody(le)).toStrictEqual({ body: { temp: 40, city: 'Zürich' }, bodyEncoding: 'json' });
    expect(decodeBody(be)).toStrictEqual({ body: { temp: 41 }, bodyEncoding: 'json' });
  });

  it('decodes UTF-16 without a BOM when contentEncoding or the charset says utf-16', () => {
    const bytes = Buffer.from('{"temp":40}', 'utf16le');
    expect(decodeBody(bytes, null, 'utf-16')).toStrictEqual({ body: { temp: 40 }, bodyEncoding: 'json' });
    expect(decodeBody(bytes, 'application/json; charset="UTF-16"')).toStrictEqual({ body: { temp: 40 }, bodyEncoding: 'json' });
    expect(decodeBody(utf16be('{"temp":42}'), null, 'utf-16be')).toStrictEqual({ body: { temp: 42 }, bodyEncoding: 'json' });
  });

  it('decodes UTF-32 named in contentEncoding, including a character outside the BMP', () => {
    const text = '{"temp":40,"icon":"🌡"}';
    expect(decodeBody(utf32(text, true), null, 'utf-32')).toStrictEqual({ body: { temp: 40, icon: '🌡' }, bodyEncoding: 'json' });
    expect(decodeBody(utf32(text, false), null, 'UTF-32BE')).toStrictEqual({ body: { temp: 40, icon: '🌡' }, bodyEncoding: 'json' });
  });

  it('refuses UTF-32 with a truncated code unit (and the bytes are not UTF-8 text either)', () => {
    const bytes = Buffer.concat([utf32('ab', true), Buffer.from([0x41])]);
    expect(decodeBody(bytes, null, 'utf-32')).toStrictEqual({ body: bytes.toString('base64'), bodyEncoding: 'base64' });
  });

  it('detects UTF-32LE/BE by their BOM (UTF-32LE is not mistaken for UTF-16LE)', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x00]), utf32('[1,2]', true)]);
    const be = Buffer.concat([Buffer.from([0x00, 0x00, 0xfe, 0xff]), utf32('"hi"', false)]);
    expect(decodeBody(le)).toStrictEqual({ body: [1, 2], bodyEncoding: 'json' });
    expect(decodeBody(be)).toStrictEqual({ body: 'hi', bodyEncoding: 'json' });
  });

  it('honours other encodings iconv-lite knows, e.g. ISO-8859-1', () => {
    expect(decodeBody(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain', 'iso-8859-1')).toStrictEqual({
      body: 'café',
      bodyEncoding: 'text',
    });
  });

  it('falls back to UTF-8 when the declared encoding cannot decode the bytes', () => {
    expect(decodeBody(utf8('{"a":1}'), null, 'utf-16')).toStrictEqual({ body: { a: 1 }, bodyEncoding: 'json' });
  });

  it('ignores a content encoding that is neither a charset nor a coding it inflates (br) and keeps non-text bytes as base64', () => {
    const bytes = Buffer.from([0x0b, 0x80, 0xff, 0x00]);
    expect(decodeBody(bytes, null, 'br')).toStrictEqual({ body: bytes.toString('base64'), bodyEncoding: 'base64' });
  });

  it('inflates a gzip content encoding before decoding the text', () => {
    expect(decodeBody(gzipSync('{"temp":40}'), null, 'gzip')).toStrictEqual({ body: { temp: 40 }, bodyEncoding: 'json', bodyFormat: ['gzip'] });
  });

  it('ignores base64 or hex as a content encoding (binary-to-text forms, not charsets)', () => {
    expect(decodeBody(utf8('{"a":1}'), null, 'base64')).toStrictEqual({ body: { a: 1 }, bodyEncoding: 'json' });
    expect(decodeBody(utf8('{"a":1}'), null, 'hex')).toStrictEqual({ body: { a: 1 }, bodyEncoding: 'json' });
  });
});

describe('decodeBody: JSON, text and binary', () => {
  it('parses JSON whatever the content type says', () => {
    expect(decodeBody(utf8('{"temp":40}'), 'text/plain')).toStrictEqual({ body: { temp: 40 }, bodyEncoding: 'json' });
    expect(decodeBody(utf8(' { "temp": 40 } '), null)).toStrictEqual({ body: { temp: 40 }, bodyEncoding: 'json' });
  });

  it('keeps a JSON array as one body, with string values still strings', () => {
    const result = decodeBody(utf8('[{"label":"face","confidence":"0.95"}]'), 'application/json', 'utf-8');
    expect(result).toStrictEqual({ body: [{ label: 'face', confidence: '0.95' }], bodyEncoding: 'json' });
  });

  it('parses JSON scalars: 123 is the number 123, "hi" a string, true a boolean', () => {
    expect(decodeBody(utf8('123'))).toStrictEqual({ body: 123, bodyEncoding: 'json' });
    expect(decodeBody(utf8('"hi"'))).toStrictEqual({ body: 'hi', bodyEncoding: 'json' });
    expect(decodeBody(utf8('true'), 'text/plain')).toStrictEqual({ body: true, bodyEncoding: 'json' });
  });

  it('keeps JSON-looking text that does not parse as text, with a decode error saying why', () => {
    const result = decodeBody(utf8('{ Temperature: 4095}'));
    expect(result.body).toBe('{ Temperature: 4095}');
    expect(result.bodyEncoding).toBe('text');
    expect(result.error).toMatch(/^invalid JSON: .*property name/i);
    expect(decodeBody(utf8(' \n [1, 2')).error).toMatch(/^invalid JSON: /);
  });

  it('counts text under a JSON content type that does not parse as a decode error', () => {
    expect(decodeBody(utf8('hello'), 'application/json').error).toMatch(/^invalid JSON: /);
    expect(decodeBody(utf8('hello'), 'application/vnd.sensor+json').error).toMatch(/^invalid JSON: /);
  });

  it('keeps plain text as text without an error', () => {
    expect(decodeBody(utf8('temperature is 21.5 °C\r\n\tok'))).toStrictEqual({
      body: 'temperature is 21.5 °C\r\n\tok',
      bodyEncoding: 'text',
    });
  });

  it('treats a number beyond double range (1e400) as a decode error and keeps the text', () => {
    expect(decodeBody(utf8('1e400'))).toStrictEqual({
      body: '1e400',
      bodyEncoding: 'text',
      error: 'invalid JSON: number out of range (parses to Infinity)',
    });
    const nested = decodeBody(utf8('{"a":[1,{"b":-1e999}]}'), 'application/json');
    expect(nested).toStrictEqual({
      body: '{"a":[1,{"b":-1e999}]}',
      bodyEncoding: 'text',
      error: 'invalid JSON: number out of range (parses to -Infinity)',
    });
  });

  it('finds a number beyond double range written without a long exponent, and accepts long finite ones', () => {
    const huge = `{"v":${'9'.repeat(210)}e99}`;
    expect(decodeBody(utf8(huge))).toStrictEqual({
      body: huge, bodyEncoding: 'text', error: 'invalid JSON: number out of range (parses to Infinity)',
    });
    expect(decodeBody(utf8(`[${'9'.repeat(309)}]`)).error).toBe('invalid JSON: number out of range (parses to Infinity)');
    expect(decodeBody(utf8('{"e":"1e400","v":1e308,"w":-2.5e-300}'))).toStrictEqual({
      body: { e: '1e400', v: 1e308, w: -2.5e-300 }, bodyEncoding: 'json',
    });
  });

  it('keeps an empty body as empty text, counted as a decode error', () => {
    expect(decodeBody(new Uint8Array(0))).toStrictEqual({ body: '', bodyEncoding: 'text', error: 'empty body' });
    expect(decodeBody(new Uint8Array(0), 'application/json')).toStrictEqual({
      body: '',
      bodyEncoding: 'text',
      error: 'empty body',
    });
  });

  it('answers declared binary (application/octet-stream) with base64 and no error', () => {
    const bytes = Buffer.from([0x00, 0x9a, 0xff, 0xfe, 0x80, 0x01]);
    expect(decodeBody(bytes, 'application/octet-stream')).toStrictEqual({ body: 'AJr//oAB', bodyEncoding: 'base64' });
    expect(decodeBody(utf8('{"a":1}'), 'Application/Octet-Stream')).toStrictEqual({ body: 'eyJhIjoxfQ==', bodyEncoding: 'base64' });
  });

  it('answers bytes that are not text with base64: no error unless the content type claimed JSON', () => {
    const bytes = Buffer.from([0x00, 0x9a, 0xff, 0xfe, 0x80, 0x01]);
    expect(decodeBody(bytes)).toStrictEqual({ body: 'AJr//oAB', bodyEncoding: 'base64' });
    expect(decodeBody(bytes, 'application/json')).toStrictEqual({
      body: 'AJr//oAB',
      bodyEncoding: 'base64',
      error: 'declared application/json but the bytes are not utf-8 text',
    });
  });

  it('treats valid UTF-8 holding control bytes as binary', () => {
    expect(decodeBody(utf8('abc\u0000def'))).toStrictEqual({ body: 'YWJjAGRlZg==', bodyEncoding: 'base64' });
    expect(decodeBody(utf8('\u001b[31mred'))).toStrictEqual({ body: 'G1szMW1yZWQ=', bodyEncoding: 'base64' });
  });

  it('encodes only the bytes of the view it is given (a subarray of a larger buffer)', () => {
    const view = Buffer.from([0x41, 0x42, 0x00, 0x9a, 0xff, 0xfe, 0x80, 0x01, 0x43]).subarray(2, 8);
    expect(decodeBody(view, 'application/octet-stream')).toStrictEqual({ body: 'AJr//oAB', bodyEncoding: 'base64' });
  });

  it('keeps a __proto__ key as plain data without touching any prototype', () => {
    const result = decodeBody(utf8('{"__proto__":{"polluted":true},"a":1}'));
    const body = result.body as Record<string, unknown>;
    expect(result.bodyEncoding).toBe('json');
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.keys(body)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(body)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  it('never throws and always returns strict JSON, whatever the bytes and headers', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const headers: Array<[string | null, string | null]> = [
      [null, null],
      ['application/json', 'utf-8'],
      ['text/plain; charset=utf-16', null],
      [null, 'utf-32'],
      ['application/octet-stream', null],
      [';;=', 'no-such-encoding'],
    ];
    for (let i = 0; i < 300; i += 1) {
      const bytes = Buffer.from(Array.from({ length: next() % 24 }, () => next() % 256));
      const [type, encoding] = headers[i % headers.length] ?? [null, null];
      const result = decodeBody(bytes, type, encoding);
      expect(['json', 'text', 'base64']).toContain(result.bodyEncoding);
      expectStrictJson(result);
    }
  });
});
