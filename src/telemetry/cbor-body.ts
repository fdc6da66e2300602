import { addExtension, Decoder } from 'cbor-x';
import { toStrictJsonValue } from './strict-json-value.js';

/** `true` for `application/cbor` and any `+cbor` structured syntax suffix (RFC 8949 §9.5, RFC 8610). */
export function isCborMediaType(mediaType: string): boolean {
  return mediaType === 'application/cbor' || mediaType.endsWith('+cbor');
}

/** Longest bignum (tags 2, 3) decoded, in bytes: 1024 bits, past any double. */
export const MAX_BIGNUM_BYTES = 128;

/**
 * A bignum's value, built from its hex digits in linear time (cbor-x's own shifts one byte at a time: a 192 KiB
 * bignum blocked the event loop for 16 s).
 * @throws Error for content that is not a byte string or is longer than {@link MAX_BIGNUM_BYTES}.
 */
function bignum(content: unknown): bigint {
  if (!(content instanceof Uint8Array)) throw new Error('bignum content is not a byte string');
  if (content.byteLength > MAX_BIGNUM_BYTES) throw new Error(`bignum longer than ${MAX_BIGNUM_BYTES} bytes`);
  return content.byteLength === 0 ? 0n : BigInt(`0x${Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('hex')}`);
}
addExtension({ tag: 2, decode: bignum } as Parameters<typeof addExtension>[0]);
addExtension({ tag: 3, decode: (content: unknown) => -1n - bignum(content) } as Parameters<typeof addExtension>[0]);

/** Maps come back as `Map`s (keys of any type), records and structures off: plain RFC 8949 CBOR. */
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

/** Result of {@link decodeCborBody}: the body as strict JSON, or why the bytes are not one CBOR item. */
export type CborResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Decodes one CBOR data item (RFC 8949) with cbor-x and maps it to strict JSON with {@link toStrictJsonValue}: byte
 * strings → base64, date tags 0/1 → ISO 8601 UTC, undefined/NaN/±Infinity → `null`, bigints → number when safe else
 * decimal string, maps with non-string keys → objects with stringified keys, unknown tags → their content.
 * Trailing bytes after the item, truncated input or nesting past `MAX_JSON_DEPTH` fail. Never throws.
 */
export function decodeCborBody(bytes: Uint8Array): CborResult {
  try {
    return { ok: true, value: toStrictJsonValue(decoder.decode(bytes)) };
  } catch (error) {
    return { ok: false, reason: `not a valid CBOR body: ${(error as Error).message}` };
  }
}
