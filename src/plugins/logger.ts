import pino, { type DestinationStream, type Logger } from 'pino';

/** Replaces the value of any `api_key` query parameter in a URL with `***` (request logs must not carry the key). */
export function redactUrl(url: string): string {
  return url.replace(/([?&]api_key=)[^&#]*/gi, '$1***');
}

/** A request as fastify hands it to the `req` serializer (only the fields we log). */
interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
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
      serializers: {
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: redactUrl(req.url ?? ''),
          remoteAddress: req.ip ?? req.socket?.remoteAddress,
        }),
      },
    },
    destination,
  );
}
