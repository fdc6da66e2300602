/**
 * Parses an ISO 8601 query time; `undefined` when absent, `null` when invalid. The calendar date must exist:
 * `Date.parse` rolls `2024-02-30` over to March 1 instead of refusing it.
 * @returns the time as `toISOString()` (UTC, milliseconds, `Z`).
 */
export function parseTime(text: string | undefined): string | undefined | null {
  if (text === undefined) return undefined;
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const ms = Date.parse(text);
  if (!date || Number.isNaN(ms)) return null;
  const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  return new Date(ms).toISOString();
}

/** An inclusive enqueued-time window of a query, ISO 8601 UTC; a bound not given is absent. */
export interface TimeRange {
  since?: string;
  until?: string;
}

/**
 * The `since`/`until` query parameters as a {@link TimeRange}, or the 400 message when one is not an ISO 8601 time
 * (see {@link parseTime}) or `since` is later than `until`.
 */
export function parseTimeRange(query: { since?: string; until?: string }): TimeRange | { error: string } {
  const since = parseTime(query.since);
  const until = parseTime(query.until);
  if (since === null) return { error: 'since must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z' };
  if (until === null) return { error: 'until must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z' };
  if (since !== undefined && until !== undefined && since > until) return { error: `since (${since}) must not be later than until (${until})` };
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}
