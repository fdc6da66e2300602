import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `provided` equals the API key `expected`, compared in constant time (both are hashed with SHA-256 first so
 * that neither length nor content leaks through timing; issue 3, "REST API"). `expected === null` means
 * authentication is off (`API_KEY=` set empty) and always matches. Never throws.
 */
export function apiKeyMatches(expected: string | null, provided: unknown): boolean {
  if (expected === null) return true;
  if (typeof provided !== 'string') return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(provided));
}
