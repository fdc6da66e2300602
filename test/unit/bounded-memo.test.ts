import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/telemetry/bounded-memo.js';

describe('boundedMemo', () => {
  it('computes each key once, undefined results included', () => {
    const calls: string[] = [];
    const memo = boundedMemo((key: string) => (calls.push(key), key === 'none' ? undefined : key.length));
    expect([memo('abc'), memo('abc'), memo('none'), memo('none')]).toEqual([3, 3, undefined, undefined]);
    expect(calls).toEqual(['abc', 'none']);
  });

  it('keeps at most limit keys (starting over when full) and never keeps a key longer than maxKeyLength', () => {
    const calls: string[] = [];
    const memo = boundedMemo((key: string) => (calls.push(key), key), 2, 4);
    for (const key of ['a', 'b', 'a', 'c', 'a', 'long-key', 'long-key']) memo(key);
    // 'c' found the memo full ({a, b}): it starts over, so the next 'a' is computed again.
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'long-key', 'long-key']);
  });
});
