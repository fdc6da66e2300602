import { boundedMemo } from './bounded-memo.js';

/** A content type split into its media type and `charset` parameter (RFC 9110 §8.3). */
export interface ParsedContentType {
  /** Media type in lower case without parameters, e.g. `application/json`; `''` when none was given. */
  mediaType: string;
  /** The `charset` parameter without quotes, or `undefined`. */
  charset: string | undefined;
  /** Every parameter by its lower-case name, values without quotes (e.g. `messageType` of a Protobuf type as `messagetype`). */
  parameters: Record<string, string>;
}

/**
 * Splits a content type such as `application/json; charset=utf-8` (RFC 9110 §8.3.1). Lenient: devices write odd
 * values, and anything unexpected simply yields an unknown media type. The result is frozen and shared (memoized).
 * Never throws.
 */
export function parseContentType(contentType: string | null | undefined): ParsedContentType {
  return parseMemo(contentType ?? '');
}

const parseMemo = boundedMemo((contentType: string): ParsedContentType => {
  const [type = '', ...params] = contentType.split(';');
  const parameters: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq > 0) parameters[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return Object.freeze({ mediaType: type.trim().toLowerCase(), charset: parameters.charset, parameters: Object.freeze(parameters) });
});

/** `true` for `application/json`, `text/json` and any `+json` structured syntax suffix (RFC 6839 §3.1). */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json');
}

/** `true` for a declared binary body, `application/octet-stream` (RFC 2046 §4.5.1). */
export function isBinaryMediaType(mediaType: string): boolean {
  return mediaType === 'application/octet-stream';
}
