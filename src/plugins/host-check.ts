import { isIPv4, isIPv6 } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LOOPBACK_HOST_NAMES } from '../config/allowed-hosts.js';
import { sendError } from './error-reply.js';

/** RFC 9110 §7.2 `Host = uri-host [ ":" port ]`, uri-host an IP literal in brackets or a reg-name / IPv4 address. */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._~!$&'()*+,;=%-]+))(?::\d{0,5})?$/i;

/** The host name of a `Host` header value, lower-case, without port or brackets; `null` when malformed. */
export function hostName(header: string): string | null {
  const match = HOST_HEADER.exec(header);
  if (!match) return null;
  if (match[1] !== undefined) return isIPv6(match[1]) ? match[1].toLowerCase() : null;
  return (match[2] ?? '').toLowerCase();
}

/**
 * Whether a `Host` header value names this gateway: its host name (see {@link hostName}) is in `allowed`. With the
 * default loopback list, any 127.0.0.0/8 address passes too (a gateway bound to 127.0.0.2 is reached by that
 * address; an IP literal in `Host` means the page's own origin is that address, so no rebinding is involved).
 * `allowed: null` accepts anything, a missing header included.
 */
export function isHostAllowed(header: string | undefined, allowed: ReadonlySet<string> | null): boolean {
  if (allowed === null) return true;
  const name = header === undefined ? null : hostName(header);
  if (name === null) return false;
  if (allowed.has(name)) return true;
  return isDefaultLoopbackList(allowed) && isIPv4(name) && name.startsWith('127.');
}

function isDefaultLoopbackList(allowed: ReadonlySet<string>): boolean {
  return allowed.size === LOOPBACK_HOST_NAMES.length && LOOPBACK_HOST_NAMES.every((n) => allowed.has(n));
}

/**
 * DNS-rebinding defence: every request whose `Host` is not in `ALLOWED_HOSTS` (see {@link isHostAllowed}) gets
 * 421 `{ error: "misdirected_request" }` in the first `onRequest` hook, before CORS, authentication, any route,
 * the dashboard files and the WebSocket upgrade. `allowedHosts: null` (any host) turns the check off.
 */
export const hostCheckPlugin = fp(
  function hostCheck(app, options: { allowedHosts: readonly string[] | null }, done) {
    const allowed = options.allowedHosts === null ? null : new Set(options.allowedHosts.map((h) => h.toLowerCase()));
    if (allowed !== null) {
      app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, next: () => void) => {
        const { host } = request.headers;
        if (isHostAllowed(host, allowed)) return next();
        const message = host
          ? `this gateway does not answer for host ${(hostName(host) ?? host).slice(0, 100)}: add it to ALLOWED_HOSTS`
          : 'missing Host header: this gateway answers only for the hosts in ALLOWED_HOSTS';
        void sendError(reply, 421, message);
      });
    }
    done();
  },
  { name: 'host-check', fastify: '5.x' },
);
