import { hash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a UTF-8 string (`crypto.hash`, one call instead of a `Hash` object per request). */
const digest = (text: string): Buffer => hash('sha256', text, 'buffer');

/**
 * A checker of presented keys against one expected key, in constant time: SHA-256 of both, then `timingSafeEqual`,
 * so neither content nor length leaks through timing. The expected key's digest is computed once, here.
 */
export function apiKeyMatcher(expected: string): (presented: string) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => timingSafeEqual(digest(presented), expectedDigest);
}

/** Compares a presented key with the expected one in constant time (see {@link apiKeyMatcher}). */
export function apiKeyMatches(presented: string, expected: string): boolean {
  return apiKeyMatcher(expected)(presented);
}
