import { Type, type Static } from '@sinclair/typebox';

/** The error codes of the REST API, by HTTP status: the one list (other 4xx answer `bad_request`, 5xx `internal_error`). */
export const ERROR_CODES = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  421: 'misdirected_request',
  429: 'too_many_requests',
  500: 'internal_error',
} as const;

/** One of the {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The one error body of the REST API: `{ error: <code>, message: <what is wrong> }`. */
export const ErrorSchema = Type.Object({
  error: Type.Union(Object.values(ERROR_CODES).map((code) => Type.Literal(code))),
  message: Type.String(),
});

/** `{ error, message }` as sent. */
export type ErrorBody = Static<typeof ErrorSchema>;
