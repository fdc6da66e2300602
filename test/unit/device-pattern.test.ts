import { describe, expect, it } from 'vitest';
import { compileDevicePattern, patternKey, patternOfKey, validateDevicePattern } from '../../src/devices/device-pattern.js';

describe('device ID patterns', () => {
  it('matches whole IDs case-sensitively, * any run and ? one character', () => {
    const household = compileDevicePattern('household-*');
    expect(['household-1', 'household-', 'household-a.b'].map(household)).toEqual([true, true, true]);
    expect(['Household-1', 'xhousehold-1', 'household'].map(household)).toEqual([false, false, false]);
    const one = compileDevicePattern('m-?');
    expect(['m-1', 'm-', 'm-10'].map(one)).toEqual([true, false, false]);
  });

  it('treats every other device ID character literally (no extglobs, negation or dot rules)', () => {
    expect(compileDevicePattern('a(b)*')('a(b)c')).toBe(true);
    expect(compileDevicePattern('a(b)*')('abc')).toBe(false);
    expect(compileDevicePattern('!a')('!a')).toBe(true);
    expect(compileDevicePattern('!a')('b')).toBe(false);
    expect(compileDevicePattern('+(x)')('+(x)')).toBe(true);
    expect(compileDevicePattern('+(x)')('x')).toBe(false);
    expect(compileDevicePattern('*.json')('.json')).toBe(true);
    expect(compileDevicePattern('a.b')('axb')).toBe(false);
  });

  it('matches in time linear in pattern and ID: many stars never backtrack for seconds', () => {
    const matches = compileDevicePattern(`${'*a'.repeat(5)}*b`);
    const started = performance.now();
    expect(matches('a'.repeat(128))).toBe(false);
    expect(compileDevicePattern('*?*?*?*?*?*?*?*?*?*?*?*?*b')('a'.repeat(60))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
    expect(matches(`${'a'.repeat(120)}b`)).toBe(true);
    expect(compileDevicePattern('*')('.')).toBe(true);
    expect(compileDevicePattern('*')('..')).toBe(true);
  });

  it('refuses characters no device ID holds and over-long patterns', () => {
    expect(validateDevicePattern('a/b*')).toMatch(/^invalid deviceIdPattern: pattern "a\/b\*" contains characters/);
    expect(validateDevicePattern('a'.repeat(129))).toBe('deviceIdPattern is 129 characters long; at most 128');
    expect(validateDevicePattern('*')).toBeUndefined();
    expect(() => compileDevicePattern('a b')).toThrow(/invalid deviceIdPattern/);
  });

  it('keeps patterns under keys no device ID can collide with', () => {
    expect(patternKey('h-*')).toBe('pattern/h-*');
    expect(patternOfKey('pattern/h-*')).toBe('h-*');
    expect(patternOfKey('pattern-1')).toBeUndefined();
  });
});
