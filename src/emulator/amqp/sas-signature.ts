import { createHmac, timingSafeEqual } from 'node:crypto';

/** The fields of a `SharedAccessSignature sr=..&sig=..&se=..&skn=..` token. `sr` is kept as sent (URL-encoded). */
export interface SasFields {
  sr: string;
  sig: string;
  se: number;
  skn: string;
}

/** Reads a SAS token's fields; `undefined` when it is not `SharedAccessSignature ...` with all four. */
export function readSasToken(token: unknown): SasFields | undefined {
  if (typeof token !== 'string' || !token.startsWith('SharedAccessSignature ')) return undefined;
  const fields = new Map<string, string>();
  for (const pair of token.slice('SharedAccessSignature '.length).split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const se = Number(fields.get('se'));
  const [sr, sig, skn] = [fields.get('sr'), fields.get('sig'), fields.get('skn')];
  if (sr === undefined || sig === undefined || skn === undefined || !Number.isFinite(se)) return undefined;
  return { sr, sig, se, skn: safeDecode(skn) };
}

/**
 * Whether `sig` is the HMAC-SHA256 of `<sr as sent>\n<se>` under `key` (constant-time compare). IoT Hub keys the HMAC
 * with the base64-DECODED key (`keyEncoding` `base64`); Event Hubs / Service Bus with the key's text (`utf8`).
 */
export function signatureMatches(fields: SasFields, key: string, keyEncoding: 'base64' | 'utf8'): boolean {
  const expected = createHmac('sha256', Buffer.from(key, keyEncoding)).update(`${fields.sr}\n${fields.se}`).digest();
  const given = Buffer.from(safeDecode(fields.sig), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `decodeURIComponent`, or the text itself when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
