// Whether a device looks alive: its last message's age against its usual interval between messages.

/** A device is stale after this many of its usual intervals without a message. */
export const STALE_AFTER_INTERVALS = 3;
/** Never stale sooner than this (ms): device lists arrive at most once a second, and clocks differ a little. */
const STALE_FLOOR_MS = 5000;
/** When the usual interval is not known yet: stale after this long without a message (ms). */
const STALE_UNKNOWN_MS = 5 * 60_000;
const MAX_GAPS = 16;

/** Learns each device's usual interval from the `lastSeen` values it sees change (bounded per device). */
export class Liveness {
  constructor() {
    this.devices = new Map(); // deviceId → { last: ms, gaps: ms[] }
  }

  /** Records a device's `lastSeen` (ISO text or null). */
  observe(deviceId, lastSeen) {
    const t = lastSeen ? Date.parse(lastSeen) : NaN;
    if (!Number.isFinite(t)) return;
    const known = this.devices.get(deviceId);
    if (!known) {
      this.devices.set(deviceId, { last: t, gaps: [] });
      return;
    }
    if (t <= known.last) return;
    known.gaps.push(t - known.last);
    if (known.gaps.length > MAX_GAPS) known.gaps.shift();
    known.last = t;
  }

  forget(keep) {
    for (const id of this.devices.keys()) if (!keep.has(id)) this.devices.delete(id);
  }

  /** The smallest gap seen: list updates are coalesced, so a gap is at least the real interval. */
  intervalMs(deviceId) {
    const gaps = this.devices.get(deviceId)?.gaps ?? [];
    return gaps.length ? Math.min(...gaps) : undefined;
  }
}

/** True when `lastSeenMs` is older than {@link STALE_AFTER_INTERVALS} × `intervalMs` (see the floors above). */
export function isStale(lastSeenMs, intervalMs, now = Date.now()) {
  if (!Number.isFinite(lastSeenMs)) return false;
  const limit = intervalMs ? Math.max(STALE_FLOOR_MS, STALE_AFTER_INTERVALS * intervalMs) : STALE_UNKNOWN_MS;
  return now - lastSeenMs > limit;
}
