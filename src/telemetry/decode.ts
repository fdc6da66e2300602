import { decodeCborBody, isCborMediaType } from './cbor-body.js';
import { isBinaryMediaType, parseContentType } from './content-type.js';
import { contentCoding, DEFAULT_MAX_INFLATED_BODY, inflateBody } from './inflate-body.js';
import { decodeProtobufBody, isProtobufMediaType, type ProtoTypes } from './protobuf-body.js';
import type { BodyEncoding } from './telemetry-message.js';
import { decodeTextBody, toBase64 } from './text-body.js';

/**
 * A decoded message body: the value to store, how it is represented, the decoding steps applied, and, when the body
 * is counted as a decode error, why (a short human-readable reason, never the body itself).
 */
export interface DecodedBody {
  /** Parsed JSON value (`json`), string (`text`) or base64 of the raw bytes (`base64`). Always strict-JSON safe. */
  body: unknown;
  bodyEncoding: BodyEncoding;
  /** The steps applied before text decoding, in order (`gzip`, `deflate`, `cbor`, `protobuf`); absent when none. */
  bodyFormat?: string[];
  /** Set when the body counts as a decode error (see {@link decodeBody}). */
  error?: string;
}

/** What {@link decodeBody} needs besides the bytes and their content type and encoding. */
export interface BodyDecodeOptions {
  /** Largest inflated gzip/deflate body, in bytes (`MAX_INFLATED_BODY`, default 1 MiB). */
  maxInflatedBody?: number;
  /** A second content encoding label, from the application properties (`content-encoding`/`contentEncoding`). */
  applicationContentEncoding?: string | null;
  /** The message types of `PROTO_FILE`; `null`/absent when none is configured. */
  protoTypes?: ProtoTypes | null;
  /** The Protobuf message type named by the application property `PROTO_TYPE_PROPERTY`. */
  protoType?: string | null;
}

/**
 * Decodes the raw body bytes of a device-to-cloud message. Pure, never throws.
 *
 * 1. Empty body → `text` `""`, counted as a decode error (`empty body`); declared `application/octet-stream`: `base64` `""`.
 * 2. Inflate: `contentEncoding` or the application's content encoding `gzip`/`deflate`, or (unless declared
 *    `application/octet-stream`) the gzip magic bytes → inflated with node:zlib, at most `maxInflatedBody` bytes;
 *    step `gzip`/`deflate`.
 * 3. `application/octet-stream` declared → `base64`, never an error.
 * 4. `application/cbor` (or `+cbor`) → cbor-x, mapped to strict JSON → `json`; step `cbor`.
 * 5. `application/x-protobuf` / `application/protobuf` / `application/vnd.google.protobuf` → protobufjs, with the
 *    message type from the content type parameter `messageType` or `proto`, else `protoType` → `json`; step `protobuf`.
 * 6. Otherwise text: a byte order mark wins (UTF-8, UTF-16LE/BE, UTF-32LE/BE); else `contentEncoding` (IoT Hub
 *    allows `utf-8`, `utf-16`, `utf-32`; other labels iconv-lite knows are honoured, unknown ones such as `gzip`
 *    ignored); else the content type's `charset`; else UTF-8. When a declared (not BOM-detected) encoding does not
 *    decode the bytes, UTF-8 is tried before giving up. Not text (malformed, control bytes) → `base64`, an error only
 *    when the content type claimed JSON. Text that is JSON → `json`, whatever the content type says (a number out of
 *    double range, or nesting deeper than `MAX_JSON_DEPTH`, → `text` with an error). Text that is not JSON → `text`;
 *    an error when the content type claimed JSON (`application/json`, `+json`) or the text looked like it (`{`, `[`).
 * A failed step 2, 4 or 5 is a decode error that keeps the bytes as received, as `base64`, without `bodyFormat`.
 *
 * @param bytes the body as received (`skipParsingBodyAsJson`).
 * @param contentType the message's content type (`content_type`), e.g. `application/json; charset=utf-8`.
 * @param contentEncoding the message's content encoding (`content_encoding`), e.g. `utf-8` or `gzip`.
 */
export function decodeBody(
  bytes: Uint8Array,
  contentType?: string | null,
  contentEncoding?: string | null,
  options: BodyDecodeOptions = {},
): DecodedBody {
  try {
    return decode(bytes, contentType, contentEncoding, options);
  } catch (error) {
    // Unreachable by design; keeps the "never throws" promise if a library misbehaves.
    return rawKept(bytes, `decoder failure: ${String(error)}`);
  }
}

function decode(bytes: Uint8Array, contentType: string | null | undefined, contentEncoding: string | null | undefined, options: BodyDecodeOptions): DecodedBody {
  const { mediaType, charset, parameters } = parseContentType(contentType);
  if (bytes.length === 0) {
    return isBinaryMediaType(mediaType) ? { body: '', bodyEncoding: 'base64' } : { body: '', bodyEncoding: 'text', error: 'empty body' };
  }

  const steps: string[] = [];
  let data = bytes;
  const coding = contentCoding([contentEncoding, options.applicationContentEncoding], bytes, !isBinaryMediaType(mediaType));
  if (coding !== undefined) {
    const inflated = inflateBody(bytes, coding, options.maxInflatedBody ?? DEFAULT_MAX_INFLATED_BODY);
    if (!inflated.ok) return rawKept(bytes, inflated.reason);
    data = inflated.bytes;
    steps.push(coding);
  }
  if (isBinaryMediaType(mediaType)) return withSteps({ body: toBase64(data), bodyEncoding: 'base64' }, steps);
  if (isCborMediaType(mediaType) || isProtobufMediaType(mediaType)) {
    const cbor = isCborMediaType(mediaType);
    const typeName = parameters.messagetype ?? parameters.proto ?? options.protoType;
    const result = cbor ? decodeCborBody(data) : decodeProtobufBody(data, options.protoTypes, typeName);
    if (!result.ok) return rawKept(bytes, result.reason);
    steps.push(cbor ? 'cbor' : 'protobuf');
    return withSteps({ body: result.value, bodyEncoding: 'json' }, steps);
  }
  return withSteps(decodeTextBody(data, mediaType, charset, contentEncoding), steps);
}

/** The decoded body with the steps applied, when any (a plain function: no closure per body). */
function withSteps(decoded: DecodedBody, steps: string[]): DecodedBody {
  return steps.length === 0 ? decoded : { ...decoded, bodyFormat: steps };
}

/** A decode error keeping the bytes as received. */
function rawKept(bytes: Uint8Array, error: string): DecodedBody {
  return { body: toBase64(bytes), bodyEncoding: 'base64', error };
}
