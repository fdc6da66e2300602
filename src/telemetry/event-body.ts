import { decodeBody, type BodyDecodeOptions, type DecodedBody } from './decode.js';

/**
 * Decodes an event's body whatever the SDK handed over. With `skipParsingBodyAsJson` it is a `Buffer` (decoded by
 * {@link decodeBody}); defensively: `undefined`/`null` → an empty body (a decode error, `empty body`); a string →
 * its UTF-8 bytes; any other value (an AMQP value or sequence body, or a body the SDK already parsed) → its
 * `JSON.stringify` text, decoded the same way (so it ends up `json`), or, when it has none, an empty `text` body with
 * the error `unsupported body type <type>`. A string is text already: it is never inflated. Never throws.
 */
export function decodeEventBody(
  body: unknown,
  contentType: string | null,
  contentEncoding: string | null,
  options: BodyDecodeOptions = {},
): DecodedBody {
  if (body instanceof Uint8Array) return decodeBody(body, contentType, contentEncoding, options);
  if (body === undefined || body === null) return decodeBody(new Uint8Array(0), contentType, contentEncoding, options);
  if (typeof body === 'string') return decodeBody(Buffer.from(body, 'utf8'), contentType, null, { ...options, applicationContentEncoding: null });
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    text = undefined;
  }
  if (text === undefined) return { body: '', bodyEncoding: 'text', error: `unsupported body type ${typeof body}` };
  return decodeBody(Buffer.from(text, 'utf8'), 'application/json', null);
}
