import { describe, expect, it } from 'vitest';
import { PartitionProgress } from '../../src/hub/partition-progress.js';
import { FakeClock } from '../support/fake-clock.js';

describe('PartitionProgress', () => {
  const start = Date.UTC(2026, 0, 1);

  it('is stalled once events wait with no delivery for the timeout; a delivery restarts the wait, catching up ends it', () => {
    const clock = new FakeClock(start);
    let due = 0;
    const p = new PartitionProgress(clock, 10_000, () => (due += 1));
    p.reset(new Map([['0', 4], ['1', -1]]));
    p.enqueued('0', 4);
    p.enqueued('1', -1);
    clock.advance(60_000);
    expect(p.stalled()).toBeNull();
    p.enqueued('0', 9);
    clock.advance(9_999);
    p.enqueued('0', 12);
    expect(p.stalled()).toBeNull();
    clock.advance(1);
    expect(due).toBe(1);
    expect(p.stalled()).toEqual({ partitionId: '0', delivered: 4, enqueued: 12, sinceMs: start + 60_000 });
    p.delivered('0', 10);
    expect(p.stalled()).toBeNull();
    clock.advance(10_000);
    expect(p.stalled()).toEqual({ partitionId: '0', delivered: 10, enqueued: 12, sinceMs: start + 70_000 });
    p.delivered('0', 12);
    clock.advance(60_000);
    expect(p.stalled()).toBeNull();
    expect(due).toBe(2);
  });

  it('a partition that keeps delivering under load is never stalled; clear cancels the timers', () => {
    const clock = new FakeClock(start);
    const p = new PartitionProgress(clock, 10_000, () => undefined);
    p.reset(new Map([['0', -1]]));
    for (let i = 0; i < 20; i += 1) {
      p.enqueued('0', i * 100 + 99);
      clock.advance(5_000);
      p.delivered('0', i * 100 + 50);
      expect(p.stalled()).toBeNull();
    }
    p.clear();
    expect(clock.pendingCount).toBe(0);
  });
});
