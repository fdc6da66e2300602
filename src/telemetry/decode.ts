import { isBinaryMediaType, isJsonMediaType, parseContentType } from './content-type.js';
import { parseStrictJson } from './strict-json.js';
import { decodeText, resolveEncodingLabel, sniffBom } from './text-encodings.js';
import type { BodyEncoding } from './telemetry-message.js';

/**
 * A decoded message body: the value to store, how it is represented, and, when the body is counted as a decode
 * error, why (a short human-readable reason, never the body itself).
 */
export interface DecodedBody {
  /** Parsed JSON value (`json`), string (`text`) or base64 of the raw bytes (`base64`). Always strict-JSON safe. */
  body: unknown;
  bodyEncoding: BodyEncoding;
  /** Set when the body counts as a decode error (see {@link decodeBody}). */
  error?: string;
}

/**
 * Decodes the raw body bytes of a device-to-cloud message. Pure, never throws.
 *
 * 1. `application/octet-stream` declared → `base64`, never an error (even when empty).
 * 2. Empty body → `text` `""`, counted as a decode error (`empty body`).
 * 3. Text encoding: a byte order mark wins (UTF-8, UTF-16LE/BE, UTF-32LE/BE); else `contentEncoding` (IoT Hub allows
 *    `utf-8`, `utf-16`, `utf-32`; other labels iconv-lite knows are honoured, unknown ones such as `gzip` ignored);
 *    else the content type's `charset`; else UTF-8. When a declared (not BOM-detected) encoding does not decode the
 *    bytes, UTF-8 is tried before giving up.
 * 4. Not text (malformed, control bytes) → `base64`; an error only when the content type claimed JSON.
 * 5. Text that is JSON → `json`, whatever the content type says (the text `123` is the number 123; an array stays one
 *    body). A number out of double range (`1e400`) → `text` with an error, so no non-finite value escapes; nesting
 *    deeper than `MAX_JSON_DEPTH` (1000) → `text` with an error, so every stored body can be serialized again.
 * 6. Text that is not JSON → `text`; an error when the content type claimed JSON (`application/json`, `+json`) or the
 *    text looked like JSON (first non-whitespace character `{` or `[`).
 *
 * @param bytes the body as received (`skipParsingBodyAsJson`).
 * @param contentType the message's content type (`content_type`), e.g. `application/json; charset=utf-8`.
 * @param contentEncoding the message's content encoding (`content_encoding`), e.g. `utf-8`.
 */
export function decodeBody(
  bytes: Uint8Array,
  contentType?: string | null,
  contentEncoding?: string | null,
): DecodedBody {
  try {
    return decode(bytes, contentType, contentEncoding);
  } catch (error) {
    // Unreachable by design; keeps the "never throws" promise if a library misbehaves.
    return { body: toBase64(bytes), bodyEncoding: 'base64', error: `decoder failure: ${String(error)}` };
  }
}

function decode(bytes: Uint8Array, contentType?: string | null, contentEncoding?: string | null): DecodedBody {
  const { mediaType, charset } = parseContentType(contentType);
  if (isBinaryMediaType(mediaType)) return { body: toBase64(bytes), bodyEncoding: 'base64' };
  if (bytes.length === 0) return { body: '', bodyEncoding: 'text', error: 'empty body' };

  const claimedJson = isJsonMediaType(mediaType);
  const bomEncoding = sniffBom(bytes);
  const encoding = bomEncoding ?? resolveEncodingLabel(contentEncoding) ?? resolveEncodingLabel(charset) ?? 'utf-8';
  let text = decodeText(bytes, encoding);
  if (text === undefined && bomEncoding === undefined && encoding !== 'utf-8') text = decodeText(bytes, 'utf-8');
  if (text === undefined) {
    const body = toBase64(bytes);
    if (!claimedJson) return { body, bodyEncoding: 'base64' };
    return { body, bodyEncoding: 'base64', error: `declared ${mediaType} but the bytes are not ${encoding} text` };
  }

  const parsed = parseStrictJson(text);
  if (parsed.ok) return { body: parsed.value, bodyEncoding: 'json' };
  if (parsed.outOfRange || claimedJson || /^[ \t\n\r]*[[{]/.test(text)) {
    return { body: text, bodyEncoding: 'text', error: parsed.reason };
  }
  return { body: text, bodyEncoding: 'text' };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
