import type { PropertyValue } from './telemetry-message.js';

/**
 * Converts one AMQP application property value, as rhea / `@azure/event-hubs` hand it over, to a strict-JSON
 * {@link PropertyValue}, keeping its type where JSON can: strings, finite numbers, booleans and `null` unchanged;
 * a timestamp (`Date`) → ISO 8601 UTC string (`null` if invalid); binary (`Buffer`) → base64 string; a non-finite
 * double (`NaN`, `Infinity`, legal in AMQP, not in JSON) → its name as a string; a `bigint` → number when exactly
 * representable, else its decimal string; `undefined` → `null`; anything else → its `JSON.stringify` text (`null` if it has none). Never throws.
 */
export function toPropertyValue(value: unknown): PropertyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return toIsoTime(value) ?? null;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

/**
 * Converts application properties with {@link toPropertyValue}, dropping none. Keys such as `__proto__` stay own
 * data properties. Never throws.
 */
export function toProperties(properties: unknown): Record<string, PropertyValue> {
  if (properties === null || typeof properties !== 'object') return {};
  const out: Record<string, PropertyValue> = {};
  for (const key of Object.keys(properties)) {
    const value = toPropertyValue((properties as Record<string, unknown>)[key]);
    // defineProperty: a key such as "__proto__" stays an own data property.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A time as ISO 8601 UTC with milliseconds (`toISOString()`, zone-independent), from a `Date`, epoch milliseconds, or
 * an ISO 8601 string (the format IoT Hub documents for `iothub-creation-time-utc`,
 * https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-messages-construct). A string without a zone designator
 * is read as UTC (never as the host's zone); other string formats are refused rather than guessed.
 * @returns the ISO string, or `undefined` when the value is not a valid time. Never throws.
 */
export function toIsoTime(value: unknown): string | undefined {
  if (value instanceof Date) return isoOfMs(value.getTime());
  if (typeof value === 'number') return isoOfMs(value);
  if (typeof value !== 'string') return undefined;
  const match = ISO_8601.exec(value.trim());
  if (!match) return undefined;
  const [, day, time, zone] = match;
  const date = new Date(time === undefined ? `${day}T00:00:00Z` : `${day}T${time}${zone ?? 'Z'}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

// The last time converted: events of a batch share their enqueued millisecond often, so most conversions are a compare.
let lastMs = Number.NaN;
let lastIso = '';

/** Epoch milliseconds as ISO 8601 UTC, `undefined` when not a valid time (as `Date`). */
function isoOfMs(ms: number): string | undefined {
  if (ms === lastMs) return lastIso;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  lastMs = ms;
  lastIso = date.toISOString();
  return lastIso;
}

/**
 * A message ID as a string: a string as is; a number or `bigint` in decimal; an AMQP uuid (rhea gives a 16-byte
 * `Buffer`) in its canonical 8-4-4-4-12 hex form; other binary as base64.
 * @returns the string, or `null` when absent or of another type. Never throws.
 */
export function toMessageId(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) {
    const buffer = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (buffer.length !== 16) return buffer.toString('base64');
    const hex = buffer.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return null;
}
