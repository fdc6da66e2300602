import { Decoder } from 'cbor-x';
import { toStrictJsonValue } from './strict-json-value.js';

/** `true` for `application/cbor` and any `+cbor` structured syntax suffix (RFC 8949 §9.5, RFC 8610). */
export function isCborMediaType(mediaType: string): boolean {
  return mediaType === 'application/cbor' || mediaType.endsWith('+cbor');
}

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
