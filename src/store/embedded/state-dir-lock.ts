import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/** The lock `proper-lockfile` keeps beside the database while a process has it open (a directory, refreshed). */
export const OWNER_LOCK = 'gateway.mdb.owner';

/** How long {@link lockStateDir} waits by default for a held lock to turn stale, in ms. */
export const STATE_DIR_LOCK_WAIT_MS = 15_000;

/** Options of {@link lockStateDir}; times in ms. */
export interface StateDirLockOptions {
  /** A lock not refreshed this long belongs to a dead process and may be taken (default 10,000). */
  staleMs?: number;
  /** How long to wait for a held lock to turn stale, e.g. after a kill -9 a moment ago (default 15,000). */
  waitMs?: number;
  /** The lock was lost while held (its directory removed, or not refreshed in time). */
  onCompromised(error: Error): void;
}

/**
 * Takes `STATE_DIR`'s database for this process (`proper-lockfile`: a lock directory whose time is refreshed while
 * held), so a second gateway on the same directory is refused instead of overwriting the first one's history.
 * Works across containers sharing the volume, since it needs no process IDs.
 * @returns the release function (call it after closing the database).
 * @throws Error naming the directory when another live process holds the lock after `waitMs`.
 */
export async function lockStateDir(stateDir: string, options: StateDirLockOptions): Promise<() => Promise<void>> {
  const staleMs = options.staleMs ?? 10_000;
  const waitMs = options.waitMs ?? STATE_DIR_LOCK_WAIT_MS;
  try {
    return await lockfile.lock(stateDir, {
      lockfilePath: join(stateDir, OWNER_LOCK), realpath: false, stale: staleMs, update: Math.max(1000, staleMs / 5),
      retries: { retries: Math.ceil(waitMs / 500), minTimeout: 500, maxTimeout: 500, factor: 1 },
      onCompromised: (error) => options.onCompromised(error),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new Error(`another gateway process uses ${stateDir} (its ${OWNER_LOCK} lock is held): give each gateway process its own STATE_DIR`);
  }
}
