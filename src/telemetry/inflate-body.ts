import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** A content coding the gateway inflates (RFC 9110 §8.4.1): gzip (RFC 1952) or deflate (zlib, RFC 1950, or raw RFC 1951). */
export type ContentCoding = 'gzip' | 'deflate';

/** Default {@link inflateBody} limit: 1 MiB of inflated bytes (`MAX_INFLATED_BODY`). */
export const DEFAULT_MAX_INFLATED_BODY = 1024 * 1024;

/**
 * The content coding of a body: the first of `labels` (the `contentEncoding` system property, then the application
 * property) that is `gzip`/`x-gzip` or `deflate` (any case); else `gzip` when the bytes start with the gzip magic
 * `1f 8b` (RFC 1952 §2.3.1) and `sniff` is set; else `undefined` (other labels such as `utf-16` are charsets).
 */
export function contentCoding(labels: ReadonlyArray<string | null | undefined>, bytes: Uint8Array, sniff: boolean): ContentCoding | undefined {
  for (const label of labels) {
    const name = (label ?? '').trim().toLowerCase();
    if (name === 'gzip' || name === 'x-gzip') return 'gzip';
    if (name === 'deflate') return 'deflate';
  }
  return sniff && bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? 'gzip' : undefined;
}

/** Result of {@link inflateBody}: the inflated bytes, or why they could not be had. */
export type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/**
 * Inflates a gzip or deflate body with node:zlib, synchronously, never producing more than `maxOutputLength` bytes
 * (zlib stops there and fails, so a zip bomb costs at most that much memory and the time to inflate it). `deflate`
 * is read as zlib format (what HTTP means by it), falling back to raw deflate, which some device libraries send.
 * Never throws.
 * @param maxOutputLength the largest inflated size accepted, in bytes (`MAX_INFLATED_BODY`).
 */
export function inflateBody(bytes: Uint8Array, coding: ContentCoding, maxOutputLength: number): InflateResult {
  const options = { maxOutputLength };
  try {
    if (coding === 'gzip') return { ok: true, bytes: gunzipSync(bytes, options) };
    try {
      return { ok: true, bytes: inflateSync(bytes, options) };
    } catch (error) {
      if (isTooLarge(error)) throw error;
      return { ok: true, bytes: inflateRawSync(bytes, options) };
    }
  } catch (error) {
    if (isTooLarge(error)) return { ok: false, reason: `${coding} body inflates past ${maxOutputLength} bytes (MAX_INFLATED_BODY)` };
    return { ok: false, reason: `not a valid ${coding} body: ${(error as Error).message}` };
  }
}

function isTooLarge(error: unknown): boolean {
  return error instanceof RangeError || (error as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}
