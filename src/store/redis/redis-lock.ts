import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../config/clock.js';
import type { StoreScripts } from './redis-scripts.js';

/** How often a waiter tries the lock again, in ms. */
const RETRY_MS = 50;

/**
 * Runs `fn` holding a cluster-wide lock: `SET key token NX PX leaseMs` (the lease frees the lock of a crashed
 * holder), retried every 50 ms on `clock` for at most `timeoutMs`, released by compare-and-delete (only while it
 * still holds this token). `fn` gets the token (to check the lock is still held when it writes).
 * @returns what `fn` returns.
 * @throws Error when the lock was not acquired within `timeoutMs`; what `fn` throws (the lock is released).
 */
export async function withLock<T>(
  lock: { client: Redis; scripts: StoreScripts; clock: Clock },
  key: string,
  options: { timeoutMs: number; leaseMs: number },
  fn: (token: string) => Promise<T>,
): Promise<T> {
  const token = randomUUID();
  const deadline = lock.clock.now() + options.timeoutMs;
  while ((await lock.client.set(key, token, 'PX', options.leaseMs, 'NX')) !== 'OK') {
    if (lock.clock.now() + RETRY_MS > deadline) throw new Error(`the lock ${key} was not acquired within ${options.timeoutMs} ms`);
    await new Promise<void>((resolve) => lock.clock.setTimeout(resolve, RETRY_MS));
  }
  try {
    return await fn(token);
  } finally {
    await lock.scripts.unlock([key], [token]).catch(() => undefined);
  }
}
