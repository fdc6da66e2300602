import { isJsonMediaType } from './content-type.js';
import { parseStrictJson } from './strict-json.js';
import { decodeText, resolveEncodingLabel, sniffBom } from './text-encodings.js';
import type { BodyEncoding } from './telemetry-message.js';

/** A body decoded as text: the value, its representation, and, when it counts as a decode error, why. */
export interface TextBody {
  body: unknown;
  bodyEncoding: BodyEncoding;
  error?: string;
}

/**
 * Decodes non-empty body bytes as text, then JSON (steps 3–6 of `decodeBody`): the encoding from a BOM, else
 * `contentEncoding`, else `charset`, else UTF-8 (a declared encoding that fails falls back to UTF-8); not text →
 * `base64` (an error when `mediaType` claimed JSON); JSON → `json`; other text → `text` (an error when it claimed or
 * looked like JSON, or holds a number out of double range). Never throws.
 */
export function decodeTextBody(bytes: Uint8Array, mediaType: string, charset: string | undefined, contentEncoding?: string | null): TextBody {
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

/** The bytes as padded base64 (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
