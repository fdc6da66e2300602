import { isLoopbackHost } from './api-key.js';

/** The `Host` names a loopback-bound gateway accepts by default (lower-case, no port). */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/**
 * Parses `ALLOWED_HOSTS` (comma-separated host names or addresses, no port; `*` = any; IPv6 with or without
 * brackets) into lower-case names, or `null` for any host. Empty: {@link LOOPBACK_HOST_NAMES} when `listenHost` is
 * loopback, any host otherwise (a DNS-rebinding page can only reach a gateway through loopback or a LAN address it
 * guesses; a gateway bound to every interface is meant to be reached by names the operator lists).
 */
export function parseAllowedHosts(value: string, listenHost: string): string[] | null {
  const names = value.split(',').map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, '')).filter(Boolean);
  if (names.includes('*')) return null;
  if (names.length > 0) return names;
  return isLoopbackHost(listenHost) ? [...LOOPBACK_HOST_NAMES] : null;
}
