/** Result of {@link parseStrictJson}: the parsed value, or why the text is not strict JSON. */
export type StrictJsonResult =
  | { ok: true; value: unknown }
  /** `outOfRange`: the text is JSON syntax but holds a number too large for a double (e.g. `1e400`). */
  | { ok: false; reason: string; outOfRange: boolean };

/**
 * Parses `text` as JSON (RFC 8259) with `JSON.parse`, and refuses a result holding a non-finite number: a literal such
 * as `1e400` parses to `Infinity`, which JSON cannot carry (`JSON.stringify` would turn it into `null`).
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
  const bad = findNonFiniteNumber(value);
  if (bad === undefined) return { ok: true, value };
  return { ok: false, reason: `invalid JSON: number out of range (parses to ${bad})`, outOfRange: true };
}

/** Walks the value iteratively (no recursion, so deep nesting cannot overflow the stack). */
function findNonFiniteNumber(root: unknown): number | undefined {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return value;
    } else if (Array.isArray(value)) {
      for (const item of value as unknown[]) pending.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value as Record<string, unknown>)) pending.push(item);
    }
  }
  return undefined;
}
