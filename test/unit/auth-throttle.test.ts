import { describe, expect, it } from 'vitest';
import { AUTH_THROTTLE_MAX_ADDRESSES, AuthFailureThrottle } from '../../src/plugins/auth-throttle.js';
import { FakeClock } from '../support/fake-clock.js';

describe('AuthFailureThrottle', () => {
  it('throttles an address from its limit-th failure to the end of its fixed window', () => {
    const clock = new FakeClock();
    const throttle = new AuthFailureThrottle({ limit: 2, windowMs: 10_000, clock });
    throttle.recordFailure('a');
    expect(throttle.retryAfterS('a')).toBe(0);
    clock.advance(4_001);
    throttle.recordFailure('a');
    expect([throttle.retryAfterS('a'), throttle.retryAfterS('b')]).toEqual([6, 0]);
    clock.advance(5_998);
    expect(throttle.retryAfterS('a')).toBe(1);
    clock.advance(1);
    expect(throttle.retryAfterS('a')).toBe(0);
    expect(throttle.size).toBe(0); // the ended window is dropped
  });

  it('keeps at most maxAddresses windows, forgetting the oldest first', () => {
    const clock = new FakeClock();
    const throttle = new AuthFailureThrottle({ limit: 1, windowMs: 60_000, clock, maxAddresses: 3 });
    for (const address of ['a', 'b', 'c', 'd']) {
      throttle.recordFailure(address);
      clock.advance(1);
    }
    expect(throttle.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((x) => throttle.retryAfterS(x))).toEqual([0, 60, 60, 60]);
    expect(AUTH_THROTTLE_MAX_ADDRESSES).toBe(100_000);
  });

  it('stays bounded under 200,000 distinct failing addresses', () => {
    const throttle = new AuthFailureThrottle({ limit: 20, windowMs: 60_000, clock: new FakeClock() });
    for (let i = 0; i < 200_000; i++) throttle.recordFailure(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    expect(throttle.size).toBe(AUTH_THROTTLE_MAX_ADDRESSES);
  });
});
