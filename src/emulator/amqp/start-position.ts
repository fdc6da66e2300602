import type { PartitionLog } from '../partition-log.js';

/** The key of the start-position filter in a receiver's source filter map (Event Hubs AMQP). */
export const SELECTOR_FILTER_KEY = 'apache.org:selector-filter:string';

const FILTER = /^amqp\.annotation\.x-opt-(offset|sequence-number|enqueued-time)\s*(>=?)\s*'([^']*)'$/;

/**
 * Resolves a receiver's start-position filter to the first sequence number to deliver, as Event Hubs does
 * (`@azure/event-hubs` `eventPosition.js`): `amqp.annotation.x-opt-offset > '<offset>'` (`>=` inclusive; `'-1'` is
 * earliest, `'@latest'` the next event), the same with `x-opt-sequence-number`, and
 * `amqp.annotation.x-opt-enqueued-time > '<ms since epoch>'`. No filter means latest. A position before the retained
 * range starts at the begin sequence number.
 * @throws Error (message fit for an `amqp:invalid-field` detach) when the filter cannot be parsed.
 */
export function resolveStartPosition(filterValue: unknown, log: PartitionLog): number {
  if (filterValue === undefined || filterValue === null) return log.nextSequenceNumber;
  const text = typeof filterValue === 'string' ? filterValue : describedValue(filterValue);
  const match = FILTER.exec(text ?? '') as [string, string, string, string] | null;
  if (!match) throw new Error(`Unsupported start-position filter: ${String(text)}`);
  const [, field, operator, raw] = match;
  const inclusive = operator === '>=';
  let first: number;
  if (field === 'offset' && raw === '@latest') first = log.nextSequenceNumber;
  else if (field === 'offset' && raw === '-1') first = log.beginSequenceNumber;
  else {
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) throw new Error(`Invalid ${field} in start-position filter: '${raw}'`);
    if (field === 'sequence-number') first = inclusive ? value : value + 1;
    else if (field === 'offset') first = log.firstAfterOffset(value, inclusive);
    else first = log.firstAfterTime(value, inclusive);
  }
  return Math.max(first, log.beginSequenceNumber);
}

/** The string inside a described filter value (rhea hands described types as `{ descriptor, value }`). */
function describedValue(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'value' in value) {
    const inner = value.value;
    return typeof inner === 'string' ? inner : describedValue(inner);
  }
  return undefined;
}
