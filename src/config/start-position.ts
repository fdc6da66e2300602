import { ConfigError } from './env-schema.js';

/**
 * Parses `START_POSITION`: `latest`, `earliest`, or an ISO 8601 time with a date (e.g. `2024-05-01T12:00:00Z`),
 * meaning "events enqueued after this time" (Event Hubs `EventPosition.enqueuedOn`).
 * @throws ConfigError naming `START_POSITION` for anything else.
 */
export function parseStartPosition(text: string): 'latest' | 'earliest' | Date {
  const value = text.trim();
  if (value === 'latest' || value === 'earliest') return value;
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
  const date = new Date(value);
  if (!iso.test(value) || Number.isNaN(date.getTime())) {
    throw new ConfigError(
      `Invalid configuration START_POSITION: expected latest, earliest or an ISO 8601 time, got ${JSON.stringify(value)}`,
    );
  }
  return date;
}
