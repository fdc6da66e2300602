import { Tag } from 'cbor-x';
import { MAX_JSON_DEPTH } from './strict-json.js';

/** Thrown by {@link toStrictJsonValue} for a value nested deeper than {@link MAX_JSON_DEPTH}. */
export class TooDeepError extends Error {}

/**
 * Maps a value a binary decoder produced (CBOR, Protobuf) to strict JSON, so it can be stored and served like a
 * parsed JSON body:
 * - `undefined`, `NaN`, `±Infinity`, an invalid `Date` → `null`;
 * - a `bigint` → a number when it is a safe integer, else its decimal string;
 * - bytes (`Uint8Array`, `Buffer`) → base64; other typed arrays → arrays of numbers;
 * - a `Date` → ISO 8601 UTC (`toISOString()`);
 * - a `Map` → an object whose keys are strings as they are, other keys in their {@link mapKey} form (a later equal key wins);
 * - a `Set` → an array; an object with a `tag` and a `value` (a CBOR tag nobody knows) → its value;
 * - any other object → its own enumerable properties (`__proto__` kept as plain data).
 * @throws TooDeepError when nesting exceeds {@link MAX_JSON_DEPTH} (so every stored body can be serialized again).
 */
export function toStrictJsonValue(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'object':
      break;
    default:
      return null;
  }
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_JSON_DEPTH) throw new TooDeepError(`nesting deeper than ${MAX_JSON_DEPTH}`);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => toStrictJsonValue(v, depth + 1));
  if (Array.isArray(value) || value instanceof Set) return Array.from(value as Iterable<unknown>, (v) => toStrictJsonValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  const entries = value instanceof Map ? [...(value as Map<unknown, unknown>)] : value instanceof Tag ? undefined : Object.entries(value);
  if (entries === undefined) return toStrictJsonValue((value as { value: unknown }).value, depth);
  for (const [key, item] of entries) {
    // defineProperty: a key such as "__proto__" stays plain data.
    Object.defineProperty(out, mapKey(key), { value: toStrictJsonValue(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A map key as an object key: a string as is; a number, bigint or boolean in its `String` form (`1` → `"1"`); `null`
 * → `"null"`; bytes → base64; anything else (an array or map used as a key) → its strict JSON text.
 */
export function mapKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean' || key === null || key === undefined) return String(key ?? null);
  const json = toStrictJsonValue(key);
  return typeof json === 'string' ? json : JSON.stringify(json);
}

