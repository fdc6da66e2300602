import { ErrorSchema } from './error.js';

/** What each error status means in the OpenAPI document (every answer is an `ErrorSchema` body). */
const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Bad request: invalid parameters or body',
  401: 'Missing or wrong API key',
  404: 'Not found (e.g. the device is not registered)',
  413: 'Request body too large',
  415: 'Unsupported content type or encoding',
  421: 'Host header not in ALLOWED_HOSTS',
  429: 'Too many failed authentications from this address (Retry-After)',
};

/** Error answers every route can send: a Host outside ALLOWED_HOSTS, a throttled address. */
const ANY_ROUTE = [421, 429] as const;

/**
 * Response schemas for the given error statuses (plus {@link ANY_ROUTE}), each the one `{ error, message }` body with
 * a description, for a route's `schema.response`.
 */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorSchema> {
  const out: Record<number, typeof ErrorSchema> = {};
  for (const status of [...statuses, ...ANY_ROUTE].sort((a, b) => a - b)) {
    out[status] = { ...ErrorSchema, description: ERROR_DESCRIPTIONS[status] ?? 'Error' };
  }
  return out;
}
