// The messages held for the selected device, sorted by enqueued time, deduplicated, bounded.
import { MAX_HELD } from './history-loader.js';

const msOf = (message) => Date.parse(message.enqueuedTime);
// A position alone is not unique across a hub's restart with a new log (demo mode): the time makes it so.
const keyOf = (message) => `${message.position}@${message.enqueuedTime}`;

export class SeriesStore {
  constructor() {
    this.clear();
  }

  clear() {
    /** @type {{ t: number, key: string, message: object }[]} oldest first */
    this.rows = [];
    this.keys = new Set();
  }

  /**
   * Adds a message (a live `telemetry` message or a history item with `position`) in time order; a message already
   * held is ignored, so a resumed or replayed stream merges with what is drawn. @returns true when it was new.
   */
  add(message) {
    const key = keyOf(message);
    const t = msOf(message);
    if (this.keys.has(key) || !Number.isFinite(t)) return false;
    this.keys.add(key);
    let i = this.rows.length;
    while (i > 0 && this.rows[i - 1].t > t) i -= 1;
    this.rows.splice(i, 0, { t, key, message });
    if (this.rows.length > MAX_HELD) for (const row of this.rows.splice(0, this.rows.length - MAX_HELD)) this.keys.delete(row.key);
    return true;
  }

  /** The newest message held, or undefined. */
  newest() {
    return this.rows[this.rows.length - 1]?.message;
  }

  /** Rows with `from <= t <= to` (ms; `from` null = from the oldest). */
  between(from, to) {
    return this.rows.filter((row) => (from === null || row.t >= from) && row.t <= to);
  }

  /**
   * The device's usual interval between messages (ms): the median gap of the last 20 held, or undefined with fewer
   * than 3 messages.
   */
  usualIntervalMs() {
    const recent = this.rows.slice(-21);
    if (recent.length < 3) return undefined;
    const gaps = recent.slice(1).map((row, i) => row.t - recent[i].t).sort((a, b) => a - b);
    return gaps[Math.floor(gaps.length / 2)];
  }
}
