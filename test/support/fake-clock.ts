import type { Clock, ClockTimer } from '../../src/config/clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  periodMs: number | null;
  cancelled: boolean;
}

/**
 * A {@link Clock} that moves only when a test calls {@link FakeClock.advance}: due timers fire in time order (ties in
 * the order they were set), each seeing `now()` equal to its due time.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private pending: Pending[] = [];

  /** @param startMs the initial `now()`, ms since the epoch (default 2026-01-01T00:00:00Z). */
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, delayMs: number): ClockTimer {
    return this.add(fn, delayMs, null);
  }

  setInterval(fn: () => void, periodMs: number): ClockTimer {
    return this.add(fn, periodMs, Math.max(1, periodMs));
  }

  /** Timers not yet fired nor cancelled. */
  get pendingCount(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.pending = this.pending.filter((p) => !p.cancelled);
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending[0];
      if (!next || next.at > target) break;
      this.current = next.at;
      if (next.periodMs === null) next.cancelled = true;
      else next.at += next.periodMs;
      next.fn();
    }
    this.current = target;
  }

  private add(fn: () => void, delayMs: number, periodMs: number | null): ClockTimer {
    const entry: Pending = { at: this.current + Math.max(0, delayMs), seq: this.seq++, fn, periodMs, cancelled: false };
    this.pending.push(entry);
    return { cancel: () => { entry.cancelled = true; } };
  }
}
