import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/telemetry/decode.js';
import { MAX_JSON_DEPTH } from '../../src/telemetry/strict-json.js';

const arrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('decodeBody: JSON nesting depth', () => {
  it('accepts JSON nested exactly MAX_JSON_DEPTH (1000) levels, and it serializes back unchanged', () => {
    expect(MAX_JSON_DEPTH).toBe(1000);
    for (const text of [arrays(1000), objects(1000)]) {
      const result = decodeBody(Buffer.from(text), 'application/json');
      expect(result.bodyEncoding).toBe('json');
      expect(result.error).toBeUndefined();
      expect(JSON.stringify(result.body)).toBe(text);
    }
  });

  it('keeps deeper JSON as its text with a decode error instead of a value JSON.stringify cannot write', () => {
    for (const text of [arrays(1001), objects(1001), arrays(100_000)]) {
      expect(decodeBody(Buffer.from(text))).toStrictEqual({
        body: text,
        bodyEncoding: 'text',
        error: 'invalid JSON: nested deeper than 1000 levels',
      });
    }
  });
});
