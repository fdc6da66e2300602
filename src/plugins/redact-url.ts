import { unescape } from 'node:querystring';

/** Redacted parts of a URL read `***`. */
const CENSOR = '***';

/**
 * Percent-decodes `text` up to three times (Node's lenient `querystring.unescape`: malformed escapes stay as they
 * are), with `+` as a space when `plusIsSpace`, so double-encoded text is seen too. Returns every form seen.
 */
function decodedForms(text: string, plusIsSpace: boolean): string[] {
  const forms = [text];
  let current = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  for (let i = 0; i < 3; i++) {
    forms.push(current);
    const next = unescape(current);
    if (next === current) break;
    current = next;
  }
  return forms;
}

const holds = (text: string, secret: string | null, plusIsSpace: boolean): boolean =>
  secret !== null && secret !== '' && decodedForms(text, plusIsSpace).some((form) => form.includes(secret));

/** Whether a raw query parameter name means `api_key` once percent-decoded (`api%5Fkey` does; any case). */
function isApiKeyName(raw: string): boolean {
  return decodedForms(raw, true).some((form) => form.toLowerCase() === 'api_key');
}

/**
 * Whether {@link redactUrl} could change `url`: without `%` or `+` every decoded form is the URL itself, so it can
 * only if the URL holds `api_key` (any case) or the secret as they are.
 */
function mayHoldSecret(url: string, secret: string | null): boolean {
  if (url.includes('%') || url.includes('+') || url.toLowerCase().includes('api_key')) return true;
  return secret !== null && secret !== '' && url.includes(secret);
}

/**
 * A URL fit for a log line: the value of every `api_key` query parameter (name compared after percent-decoding, as
 * the query parser decodes it), any query value or name holding `secret`, and any path segment holding `secret`
 * (each compared raw and percent-decoded, also twice-encoded) become `***`. `secret` is the configured API key;
 * `null` redacts `api_key` values only.
 */
export function redactUrl(url: string, secret: string | null = null): string {
  if (!mayHoldSecret(url, secret)) return url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const safePath = path.split('/').map((segment) => (holds(segment, secret, false) ? CENSOR : segment)).join('/');
  if (q < 0) return safePath;
  const pairs = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (holds(name, secret, true)) return CENSOR;
    if (eq < 0) return pair;
    return isApiKeyName(name) || holds(pair.slice(eq + 1), secret, true) ? `${name}=${CENSOR}` : pair;
  });
  return `${safePath}?${pairs.join('&')}`;
}
