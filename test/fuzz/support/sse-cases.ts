import fc from 'fast-check';
import { PRINTABLE } from './path-encodings.js';

/** A resume request: `Last-Event-ID` header and/or `?lastEventId=` value (undefined: not sent). */
export interface LastEventIdCase {
  header: string | undefined;
  query: string | undefined;
}

/** Resume values: held positions, near misses of them, other well-formed positions and random text. */
function resumeValue(positions: readonly string[]): fc.Arbitrary<string> {
  const held = fc.constantFrom(...positions);
  return fc.oneof(
    { arbitrary: held, weight: 3 },
    { arbitrary: held.map((p) => p.replace(':', ':0')), weight: 1 },
    { arbitrary: held.map((p) => ` ${p} `), weight: 1 },
    { arbitrary: held.map((p) => `${p},${p}`), weight: 1 },
    { arbitrary: fc.tuple(fc.integer({ min: -1, max: 5 }), fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER))).map(([p, s]) => `${p}:${s}`), weight: 2 },
    { arbitrary: fc.constantFrom('', ' ', ':', '0:', ':1', '0:-1', '0:1e3', '0:99999999999999999999', 'null', 'undefined', '%30:1'), weight: 2 },
    { arbitrary: fc.string({ unit: PRINTABLE, maxLength: 80 }), weight: 2 },
  );
}

/** A random resume request for a device whose history holds `positions`. */
export function lastEventIdCase(positions: readonly string[]): fc.Arbitrary<LastEventIdCase> {
  const value = resumeValue(positions);
  return fc.record({ header: fc.option(value, { nil: undefined }), query: fc.option(value, { nil: undefined }) });
}

/**
 * The replay the stream must start with: the header wins over the query, surrounding spaces are trimmed and an empty
 * value means no resume (live only); a position held in history resumes after it, anything else gets `reset` and the
 * whole history. Applies to a 200 answer (a query value over 64 characters is refused with 400 before).
 */
export function expectedReplay(c: LastEventIdCase, positions: readonly string[]): { reset: boolean; ids: string[] } {
  const from = (c.header ?? c.query)?.trim() || undefined;
  if (from === undefined) return { reset: false, ids: [] };
  const index = positions.indexOf(from);
  return index < 0 ? { reset: true, ids: [...positions] } : { reset: false, ids: positions.slice(index + 1) };
}
