import iconv from 'iconv-lite';
import { boundedMemo } from './bounded-memo.js';

/**
 * A text encoding the decoder can apply: `utf-8` (Node's fatal decoder) or an iconv-lite codec name such as
 * `utf-16le`, `utf-16be`, `utf-16` (BOM or heuristic), `utf-32le`, `utf-32be`, `utf-32`, `latin1`.
 */
export type TextEncodingName = string;

const BOMS: ReadonlyArray<{ bytes: readonly number[]; encoding: TextEncodingName }> = [
  // UTF-32LE before UTF-16LE: FF FE 00 00 also starts with the UTF-16LE BOM.
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Detects a byte order mark (BOM) at the start of `bytes` (Unicode Standard §23.8; RFC 8259 §8.1 lets a JSON parser
 * ignore it). A BOM overrides any declared encoding, as in the WHATWG Encoding Standard's "decode" algorithm.
 * @returns the encoding the BOM announces, or `undefined` when there is none. Never throws.
 */
export function sniffBom(bytes: Uint8Array): TextEncodingName | undefined {
  const first = bytes[0];
  if (first !== 0xef && first !== 0xff && first !== 0x00 && first !== 0xfe) return undefined;
  return BOMS.find(({ bytes: bom }) => bytes.length >= bom.length && bom.every((b, i) => bytes[i] === b))?.encoding;
}

/**
 * Maps an encoding label (IoT Hub `contentEncoding`, or a `charset` parameter) to a codec name. IoT Hub documents
 * `utf-8`, `utf-16` and `utf-32` (https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-messages-construct);
 * `utf-16`/`utf-32` without a BOM are resolved by iconv-lite's heuristic (little-endian by default). Any other label
 * iconv-lite knows (e.g. `latin1`, `windows-1252`) is used as is.
 * @returns the codec name, or `undefined` for an empty or unknown label (e.g. `gzip`, `base64`). Never throws.
 */
export function resolveEncodingLabel(label: string | null | undefined): TextEncodingName | undefined {
  return label === null || label === undefined || label === '' ? undefined : resolveMemo(label);
}

const resolveMemo = boundedMemo((label: string): TextEncodingName | undefined => {
  const name = (label ?? '').trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (name === '') return undefined;
  if (name === 'utf-8' || name === 'utf8') return 'utf-8';
  if (name === 'unicode' || name === 'ucs-2' || name === 'ucs2') return 'utf-16';
  return !NOT_TEXT_CODECS.has(name) && iconv.encodingExists(name) ? name : undefined;
});

/** iconv-lite codecs that turn bytes into a binary-to-text form rather than reading text: not charsets. */
const NOT_TEXT_CODECS = new Set(['base64', 'hex']);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes `bytes` as text in `encoding`, dropping a leading BOM.
 * UTF-8 uses Node's WHATWG `TextDecoder` in fatal mode; other encodings use iconv-lite.
 * @returns the text, or `undefined` when the bytes are not valid text in that encoding: malformed sequences (iconv-lite
 *   substitutes U+FFFD, so any U+FFFD in its output counts as malformed), a truncated code unit, or a control
 *   character other than TAB, LF and CR (C0, DEL or C1), which marks binary data. Never throws.
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string | undefined {
  let text: string;
  try {
    if (encoding === 'utf-8') {
      text = utf8.decode(bytes);
    } else {
      const unit = encoding.startsWith('utf-32') ? 4 : encoding.startsWith('utf-16') ? 2 : 1;
      if (bytes.length % unit !== 0) return undefined;
      text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
      if (text.includes('\uFFFD')) return undefined;
    }
  } catch {
    return undefined;
  }
  return hasControlCharacters(text) ? undefined : text;
}

/** C0 controls except TAB, LF and CR; DEL; C1 controls. One regular expression scan instead of a loop per character. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}
