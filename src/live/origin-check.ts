/**
 * Whether a browser's `Origin` may open a live connection (the same `CORS_ORIGINS` list as the REST API's CORS).
 *
 * - No `Origin` header (a non-browser client): allowed; origin checks protect browsers only (RFC 6455 §10.2).
 * - `allowed` contains `*` or the exact origin (scheme://host[:port], compared case-insensitively): allowed.
 * - Otherwise only the gateway's own origin: the origin's host[:port] equals the request's `Host` header.
 *
 * Never throws: an unparsable `Origin` (including `null`) is refused.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  const normalized = origin.toLowerCase();
  if (allowed.some((entry) => entry === '*' || entry.toLowerCase().replace(/\/$/, '') === normalized)) return true;
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
