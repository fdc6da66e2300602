import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../config/clock.js';
import { sendError } from './error-reply.js';

/** Client addresses tracked at most; past it, the address whose window started first is forgotten. */
export const AUTH_THROTTLE_MAX_ADDRESSES = 100_000;

/** Options of {@link AuthFailureThrottle}. */
export interface AuthThrottleOptions {
  /** Failed authentications per address and window that throttle it (`AUTH_FAIL_LIMIT`). */
  limit: number;
  /** Window length in ms (`AUTH_FAIL_WINDOW` × 1000), from an address's first failure. */
  windowMs: number;
  clock: Clock;
  /** Default {@link AUTH_THROTTLE_MAX_ADDRESSES}. */
  maxAddresses?: number;
  /** Called once per window, when an address reaches the limit, with the seconds it stays throttled (a log line). */
  onThrottled?(address: string, retryAfterS: number): void;
}

interface FailureWindow {
  startMs: number;
  failures: number;
}

/**
 * Failed authentications per client address in fixed windows on a {@link Clock}: a window opens at an address's
 * first failure and lasts `windowMs`; once it holds `limit` failures, the address is throttled until it ends. The
 * map holds at most `maxAddresses` addresses (the oldest window is evicted first), so it stays bounded whatever the
 * number of addresses that fail.
 */
export class AuthFailureThrottle {
  private readonly windows: LRUCache<string, FailureWindow>;
  private readonly maxAddresses: number;

  constructor(private readonly options: AuthThrottleOptions) {
    this.maxAddresses = options.maxAddresses ?? AUTH_THROTTLE_MAX_ADDRESSES;
    this.windows = new LRUCache({ max: this.maxAddresses });
  }

  /** Addresses tracked now (at most `maxAddresses`). */
  get size(): number {
    return this.windows.size;
  }

  /** Records one failed authentication from `address`. */
  recordFailure(address: string): void {
    const now = this.options.clock.now();
    const current = this.live(address, now);
    if (current) {
      current.failures += 1;
      if (current.failures === this.options.limit) this.options.onThrottled?.(address, this.retryAfterS(address));
      return;
    }
    // Reads `peek` (no recency update) and a window is set only when it starts: the cache evicts the oldest window.
    this.windows.set(address, { startMs: now, failures: 1 });
    if (this.options.limit === 1) this.options.onThrottled?.(address, this.retryAfterS(address));
  }

  /** Whole seconds (at least 1) until `address` may try again; 0 when it is not throttled. */
  retryAfterS(address: string): number {
    const now = this.options.clock.now();
    const current = this.live(address, now);
    if (!current || current.failures < this.options.limit) return 0;
    return Math.max(1, Math.ceil((current.startMs + this.options.windowMs - now) / 1000));
  }

  /** The address's window if it has not ended (an ended one is dropped). */
  private live(address: string, now: number): FailureWindow | undefined {
    const current = this.windows.peek(address);
    if (current && now >= current.startMs + this.options.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return current;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Failed authentications per client address (`request.ip`); see {@link AuthFailureThrottle}. */
    authThrottle: AuthFailureThrottle;
  }
}

/**
 * Brute-force throttling: decorates `app.authThrottle` (the auth hook and the WebSocket route record failures in it)
 * and, in an `onRequest` hook, answers every request from a throttled address, whatever its route or key, with 429
 * `{ error: "too_many_requests" }` and `Retry-After` (seconds until the window ends). A throttled WebSocket upgrade
 * gets the same HTTP 429. Register it after the host check and before CORS and auth.
 */
export const authThrottlePlugin = fp(
  function authThrottle(app, options: AuthThrottleOptions, done) {
    const throttle = new AuthFailureThrottle({
      ...options,
      onThrottled: (address, retryAfterS) =>
        app.log.warn(`auth: ${address} throttled for ${retryAfterS} s after ${options.limit} failed authentications (AUTH_FAIL_LIMIT)`),
    });
    app.decorate('authThrottle', throttle);
    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, next: () => void) => {
      const retryAfterS = throttle.retryAfterS(request.ip);
      if (retryAfterS === 0) return next();
      void sendError(
        reply.header('retry-after', String(retryAfterS)),
        429,
        `too many failed authentications from this address: retry after ${retryAfterS} s`,
      );
    });
    done();
  },
  { name: 'auth-throttle', fastify: '5.x' },
);
