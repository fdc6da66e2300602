import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/config/clock.js';
import { FakeClock } from '../support/fake-clock.js';

/**
 * What every {@link Clock} must do. `wait(ms)` lets `ms` of the clock's time pass (the fake clock advances; the system
 * clock really waits, so its delays here are tens of milliseconds).
 */
function describeClockContract(name: string, clock: Clock, wait: (ms: number) => Promise<void>): void {
  describe(`Clock contract: ${name}`, () => {
    it('fires a timeout once after its delay, never a cancelled one, and repeats an interval until cancelled', async () => {
      const fired: string[] = [];
      const start = clock.now();
      clock.setTimeout(() => fired.push('once'), 20);
      clock.setTimeout(() => fired.push('cancelled'), 20).cancel();
      const every = clock.setInterval(() => fired.push('tick'), 15);
      await wait(50);
      every.cancel();
      const ticks = fired.filter((f) => f === 'tick').length;
      expect(fired.filter((f) => f !== 'tick')).toEqual(['once']);
      expect(ticks).toBeGreaterThanOrEqual(2);
      await wait(40);
      expect(fired.filter((f) => f === 'tick')).toHaveLength(ticks);
      expect(clock.now() - start).toBeGreaterThanOrEqual(89);
    });
  });
}

const fake = new FakeClock();
describeClockContract('FakeClock', fake, (ms) => {
  fake.advance(ms);
  return Promise.resolve();
});
describeClockContract('systemClock', systemClock, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
