import { describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fake-clock.js';

describe('FakeClock', () => {
  it('fires due timers in time order, intervals repeatedly, and never a cancelled one', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    const every = clock.setInterval(() => fired.push(`i@${clock.now()}`), 8);
    cancelled.cancel();
    clock.advance(25);
    expect(fired).toEqual(['i@1008', 'a@1010', 'i@1016', 'b@1020', 'i@1024']);
    every.cancel();
    clock.advance(100);
    expect(fired).toHaveLength(5);
    expect(clock.now()).toBe(1125);
    expect(clock.pendingCount).toBe(0);
  });
});
