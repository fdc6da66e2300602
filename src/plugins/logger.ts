import type { FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactUrl } from './redact-url.js';

export { redactUrl } from './redact-url.js';

/** A request as fastify hands it to the `req` serializer (only the fields we log). */
interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** The `req` serializer: method, URL redacted by {@link redactUrl} with `secret`, remote address; never headers. */
export function requestSerializer(secret: string | null): (req: LoggedRequest) => Record<string, unknown> {
  return (req) => ({ method: req.method, url: redactUrl(req.url ?? '', secret), remoteAddress: req.ip ?? req.socket?.remoteAddress });
}

/**
 * Fastify's `childLoggerFactory` for request loggers, whichever logger the app was given: their `req` and `url`
 * fields are redacted with the configured key (`secret`), so a request line never holds it, under any parameter
 * name or encoding.
 */
export function redactingChildLoggerFactory(secret: string | null): NonNullable<FastifyServerOptions['childLoggerFactory']> {
  const serializers = { req: requestSerializer(secret), url: (url: string) => redactUrl(String(url), secret) };
  return (logger, bindings, options) => logger.child(bindings, { ...options, serializers: { ...options.serializers, ...serializers } });
}

/**
 * The gateway's pino logger: level from `LOG_LEVEL`, a `req` serializer that logs method, URL with `api_key`
 * redacted and remote address (never headers, so never `X-API-Key`), plus pino `redact` for any stray
 * `x-api-key`/`apiKey` field. Writes to `destination` (default stdout).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['req.headers["x-api-key"]', 'headers["x-api-key"]', 'apiKey', '*.apiKey', 'api_key', '*.api_key'],
        censor: '***',
      },
      serializers: { req: requestSerializer(null) },
    },
    destination,
  );
}
