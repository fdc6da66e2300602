import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Fastify's request log lines at the levels a terminal reader wants: `incoming request` and a successful
 * `request completed` at `debug` (routine: the dashboard's requests, health probes); a `request completed` with a
 * 4xx or 5xx status (auth failures, refused requests) at `info`, with the request's method and redacted URL, so they
 * stay visible at the default level. Errors keep fastify's own lines. The `req` serializer redacts the URL.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const res = { statusCode: reply.statusCode };
    if (error) reply.log.error({ req: request, res, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else if (reply.statusCode >= 400) reply.log.info({ req: request, res, responseTime: reply.elapsedTime }, 'request completed');
    else reply.log.debug({ res, responseTime: reply.elapsedTime }, 'request completed');
  }
}
