/** What a redacted secret reads as. */
const CENSOR = '***';

/**
 * `REDIS_URL` fit for a log line: the password of its userinfo (`redis://user:secret@host`) becomes `***`, and so
 * does every query parameter value (ioredis reads `?password=` too); a URL that does not parse is shown as
 * `redis://***` (it may hold a password in a form we cannot locate).
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = CENSOR;
    for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, CENSOR);
    return parsed.toString().replace(/\/$/, '').replace(/%2A%2A%2A/g, CENSOR);
  } catch {
    return 'redis://***';
  }
}

/** The password `url` carries (percent-decoded), or null. */
export function urlPassword(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.password) return decodeURIComponent(parsed.password);
    return parsed.searchParams.get('password') || null;
  } catch {
    return null;
  }
}

/**
 * `text` (an error message, say) with every occurrence of each secret, raw or percent-encoded, replaced by `***`.
 * Empty and null secrets are skipped.
 */
export function redactSecrets(text: string, secrets: readonly (string | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(CENSOR);
  }
  return out;
}
