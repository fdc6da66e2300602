import { Type } from '@sinclair/typebox';

/** The one error body of the REST API: `{ error: <code>, message: <what is wrong> }`. */
export const ErrorSchema = Type.Object({
  error: Type.String({
    description: 'bad_request | unauthorized | not_found | payload_too_large | unsupported_media_type | misdirected_request | too_many_requests | internal_error',
  }),
  message: Type.String(),
});
