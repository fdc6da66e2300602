import type { Entry } from './device-entry.js';

/**
 * Starts a restored entry from the cluster-wide last activity `atMs` of a shared store (ms since epoch; `undefined`
 * when none): a device whose last activity anywhere is `timeoutMs` or more ago starts `inactive`, as the other
 * instances see it. `timeoutMs` 0 = never inactive.
 */
export function restoredActivity(entry: Entry, atMs: number | undefined, nowMs: number, timeoutMs: number): void {
  if (atMs === undefined || timeoutMs <= 0) return;
  entry.lastActivityMs = Math.min(nowMs, atMs);
  entry.inactive = nowMs - atMs >= timeoutMs;
}

/**
 * Another instance saw activity at `atMs` (ms since epoch): resets the entry's inactivity clock (not shared back).
 * @returns true when the entry is inactive and the activity is recent enough to wake it (the caller reactivates it).
 */
export function heardActivity(entry: Entry, atMs: number, nowMs: number, timeoutMs: number): boolean {
  if (atMs <= entry.lastActivityMs) return false;
  entry.lastActivityMs = Math.min(nowMs, atMs);
  entry.sharedActivityMs = nowMs;
  return entry.inactive && (timeoutMs <= 0 || nowMs - entry.lastActivityMs < timeoutMs);
}

/**
 * One inactivity sweep: an entry held by a live subscription counts as active now (and is offered to `share`); one
 * without activity for `timeoutMs` (and no hold) turns inactive (and is told to `inactive`). `timeoutMs` 0 = never.
 * @returns true when any entry turned inactive.
 */
export function sweepEntries(entries: Iterable<Entry>, nowMs: number, timeoutMs: number, on: { share(entry: Entry): void; inactive(entry: Entry): void }): boolean {
  if (timeoutMs <= 0) return false;
  let changed = false;
  for (const entry of entries) {
    if (entry.holds > 0 && !entry.inactive) {
      entry.lastActivityMs = nowMs;
      on.share(entry);
    }
    if (entry.inactive || entry.holds > 0 || nowMs - entry.lastActivityMs < timeoutMs) continue;
    entry.inactive = true;
    changed = true;
    on.inactive(entry);
  }
  return changed;
}
