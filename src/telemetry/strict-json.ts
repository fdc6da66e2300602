/**
 * Deepest nesting of arrays and objects accepted as a JSON body (`[]` is depth 1). `JSON.parse` reads far deeper
 * values, but `JSON.stringify` (REST replies, WebSocket and SSE frames) overflows the stack at roughly 5,000 levels on
 * Node 20's default stack; a value that cannot be written back must never enter the store. Real telemetry stays far below.
 */
export const MAX_JSON_DEPTH = 1000;

/** Result of {@link parseStrictJson}: the parsed value, or why the text is not strict JSON. */
export type StrictJsonResult =
  | { ok: true; value: unknown }
  /** `outOfRange`: the text is JSON syntax but holds a number too large for a double (e.g. `1e400`). */
  | { ok: false; reason: string; outOfRange: boolean };

/**
 * Parses `text` as JSON (RFC 8259) with `JSON.parse`, and refuses a result holding a non-finite number: a literal such
 * as `1e400` parses to `Infinity`, which JSON cannot carry (`JSON.stringify` would turn it into `null`). Also refuses
 * nesting deeper than {@link MAX_JSON_DEPTH} (RFC 8259 §9 lets a parser limit depth), so every accepted value can be
 * serialized again.
 *
 * `__proto__` keys are kept: `JSON.parse` creates them as own data properties and never touches a prototype, so the
 * parsed value is safe to serialize and to spread (`{ ...body }`); do not merge it with `Object.assign` or a
 * recursive merge. Integers beyond 2^53 lose precision, as with any `JSON.parse`.
 * @returns `{ ok: true, value }`, or `{ ok: false, reason, outOfRange }` with the parser's message. Never throws.
 */
export function parseStrictJson(text: string): StrictJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, reason, outOfRange: false };
  }
  const problem = findProblem(value, 0);
  if (problem === undefined) return { ok: true, value };
  if (problem.kind === 'depth') {
    return { ok: false, reason: `invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels`, outOfRange: false };
  }
  return { ok: false, reason: `invalid JSON: number out of range (parses to ${problem.value})`, outOfRange: true };
}

type Problem = { kind: 'number'; value: number } | { kind: 'depth' };

/**
 * Walks the value depth first, stopping at {@link MAX_JSON_DEPTH}: the recursion is bounded by that limit, so deep
 * nesting cannot overflow the stack. No allocation per value, not even a key array (this runs for every JSON body).
 */
function findProblem(value: unknown, depth: number): Problem | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { kind: 'number', value };
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return { kind: 'depth' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = findProblem(value[i], depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  // for…in, not Object.values: no array per object. A JSON.parse result has own enumerable keys only.
  for (const key in value) {
    const problem = findProblem((value as Record<string, unknown>)[key], depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
