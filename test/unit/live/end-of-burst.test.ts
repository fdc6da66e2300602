import { describe, expect, it } from 'vitest';
import { atEndOfBurst } from '../../../src/live/end-of-burst.js';

describe('atEndOfBurst', () => {
  it('runs each scheduled function once, after the synchronous code that scheduled it, in scheduling order', async () => {
    const calls: string[] = [];
    const a = (): void => void calls.push('a');
    const b = (): void => {
      calls.push('b');
      atEndOfBurst(a); // scheduled again while running: a next burst
    };
    atEndOfBurst(a);
    atEndOfBurst(b);
    atEndOfBurst(a);
    calls.push('sync');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['sync', 'a', 'b', 'a']);
  });
});
