import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldPathError, leafPaths, parseFieldList, parseFieldPath, selectFields, valueAt } from '../../src/telemetry/field-path.js';

describe('field paths', () => {
  it('parses names and indexes into segments', () => {
    expect(parseFieldList('voltage,voltages[1],env.temperature,a[0][2].b').map((p) => p.segments)).toEqual([
      ['voltage'], ['voltages', 1], ['env', 'temperature'], ['a', 0, 2, 'b'],
    ]);
  });

  it.each(['', '.a', 'a.', 'a..b', '[1]', 'a[x]', 'a b', 'a.[1]', 'a[1]b', 'a[-1]', 'x'.repeat(257)])('refuses %j', (text) => {
    expect(() => parseFieldPath(text)).toThrow(FieldPathError);
  });

  it('refuses an empty list and more than 64 fields, drops duplicates', () => {
    expect(() => parseFieldList('')).toThrow(FieldPathError);
    expect(() => parseFieldList(Array.from({ length: 65 }, (_, i) => `f${i}`))).toThrow(/at most 64/);
    expect(parseFieldList('a,a,b').map((p) => p.text)).toEqual(['a', 'b']);
  });

  it('selects by the path strings and leaves out what a body lacks', () => {
    const body = { voltage: 1, voltages: [11.9, 12.2], env: { temperature: 21.5 } };
    expect(selectFields(body, parseFieldList('voltages[1],env.temperature,env.humidity,voltages[5],voltage.x'))).toEqual({
      'voltages[1]': 12.2, 'env.temperature': 21.5,
    });
    expect(valueAt({ a: { hasOwnProperty: 1 } }, parseFieldPath('a.toString'))).toBeUndefined();
  });

  it('lists leaf paths that select their own values back', () => {
    const body = { v: 1, vs: [1, [2, 3]], env: { t: 2, empty: {} }, 'bad key': 5 };
    expect(leafPaths(body)).toEqual(['v', 'vs[0]', 'vs[1][0]', 'vs[1][1]', 'env.t', 'env.empty']);
    expect(leafPaths(7)).toEqual(['']);
    expect(leafPaths([1, 2])).toEqual(['']);
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const paths = leafPaths({ root: value }).filter((p) => p !== '');
      for (const text of paths) expect(valueAt({ root: value }, parseFieldPath(text))).not.toBeUndefined();
    }));
  });
});
