import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/telemetry/decode.js';
import { contentCoding, inflateBody } from '../../src/telemetry/inflate-body.js';

const MiB = 1024 * 1024;

describe('inflating gzip and deflate bodies', () => {
  it('picks the coding from either label, any case, else from the gzip magic bytes', () => {
    const plain = Buffer.from('{}');
    expect(contentCoding(['GZIP', null], plain, true)).toBe('gzip');
    expect(contentCoding(['utf-8', 'deflate'], plain, true)).toBe('deflate');
    expect(contentCoding([null, 'x-gzip'], plain, true)).toBe('gzip');
    expect(contentCoding(['utf-16', null], plain, true)).toBeUndefined();
    expect(contentCoding([null, null], gzipSync('{}'), true)).toBe('gzip');
    expect(contentCoding([null, null], gzipSync('{}'), false)).toBeUndefined();
  });

  it('stores gzip of {"t":1} as {"t":1} by system property, application property and magic bytes', () => {
    const bytes = gzipSync('{"t":1}');
    const expected = { body: { t: 1 }, bodyEncoding: 'json', bodyFormat: ['gzip'] };
    expect(decodeBody(bytes, 'application/json', 'gzip')).toStrictEqual(expected);
    expect(decodeBody(bytes, null, null, { applicationContentEncoding: 'gzip' })).toStrictEqual(expected);
    expect(decodeBody(bytes, null, null)).toStrictEqual(expected);
  });

  it('inflates zlib and raw deflate', () => {
    const expected = { body: { t: 1 }, bodyEncoding: 'json', bodyFormat: ['deflate'] };
    expect(decodeBody(deflateSync('{"t":1}'), null, 'deflate')).toStrictEqual(expected);
    expect(decodeBody(deflateRawSync('{"t":1}'), null, 'deflate')).toStrictEqual(expected);
  });

  it('keeps the charset meaning of the system content encoding when the application property says gzip', () => {
    const bytes = gzipSync(Buffer.from('{"v":"é"}', 'utf16le'));
    expect(decodeBody(bytes, null, 'utf-16le', { applicationContentEncoding: 'gzip' }))
      .toStrictEqual({ body: { v: 'é' }, bodyEncoding: 'json', bodyFormat: ['gzip'] });
  });

  it('stops a zip bomb at the limit: a decode error keeping the bytes received', () => {
    const bomb = gzipSync(Buffer.alloc(110 * MiB, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(115 * 1024);
    const started = performance.now();
    const decoded = decodeBody(bomb, 'application/json', 'gzip', { maxInflatedBody: MiB });
    expect(performance.now() - started).toBeLessThan(500);
    expect(decoded).toStrictEqual({
      body: bomb.toString('base64'), bodyEncoding: 'base64', error: 'gzip body inflates past 1048576 bytes (MAX_INFLATED_BODY)',
    });
    expect(inflateBody(gzipSync(Buffer.alloc(MiB)), 'gzip', MiB)).toMatchObject({ ok: true });
    expect(inflateBody(gzipSync(Buffer.alloc(MiB + 1)), 'gzip', MiB)).toMatchObject({ ok: false });
  });

  it('keeps a broken gzip body as base64 with a decode error', () => {
    const broken = gzipSync('{"t":1}').subarray(0, 12);
    const decoded = decodeBody(broken, null, 'gzip');
    expect(decoded.body).toBe(broken.toString('base64'));
    expect(decoded.bodyEncoding).toBe('base64');
    expect(decoded.error).toMatch(/^not a valid gzip body: /);
    expect(decodeBody(Buffer.from('{"t":1}'), null, 'deflate').error).toMatch(/^not a valid deflate body: /);
  });

  it('never sniffs declared binary, but inflates it when the encoding says so', () => {
    const bytes = gzipSync('hello');
    expect(decodeBody(bytes, 'application/octet-stream', null)).toStrictEqual({ body: bytes.toString('base64'), bodyEncoding: 'base64' });
    expect(decodeBody(bytes, 'application/octet-stream', 'gzip'))
      .toStrictEqual({ body: Buffer.from('hello').toString('base64'), bodyEncoding: 'base64', bodyFormat: ['gzip'] });
  });

  it('round-trips any JSON value through gzip and deflate', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom('gzip', 'deflate'), (value, coding) => {
      const text = JSON.stringify(value);
      const bytes = coding === 'gzip' ? gzipSync(text) : deflateSync(text);
      expect(decodeBody(bytes, 'application/json', coding)).toStrictEqual({ body: JSON.parse(text) as unknown, bodyEncoding: 'json', bodyFormat: [coding] });
    }));
  });
});
