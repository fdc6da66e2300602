import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
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
 * name or encoding. The serializers are set once per parent logger, on a child that every request logger derives
 * from (pino merges serializers on each `child` call that passes them: a few µs per request).
 */
export function redactingChildLoggerFactory(secret: string | null): NonNullable<FastifyServerOptions['childLoggerFactory']> {
  const serializers = { req: requestSerializer(secret), url: (url: string) => redactUrl(String(url), secret) };
  const redacting = new WeakMap<object, FastifyBaseLogger>();
  return (logger, bindings, options) => {
    if (Object.keys(options).length > 0) {
      return logger.child(bindings, { ...options, serializers: { ...options.serializers, ...serializers } });
    }
    let base = redacting.get(logger);
    if (base === undefined || base.level !== logger.level) {
      base = logger.child({}, { serializers });
      redacting.set(logger, base);
    }
    return base.child(bindings);
  };
}

/** How log lines are written: `json` (one pino JSON object per line) or `pretty` (pino-pretty's readable lines). */
export type LogFormat = 'pretty' | 'json';

/** A request line's message in pretty lines: `request completed GET /api/devices → 401` (URL already redacted). */
const PRETTY_MESSAGE = '{msg}{if req.method} {req.method} {req.url}{end}{if res.statusCode} → {res.statusCode}{end}';

/**
 * pino-pretty as the logger's stream (in this process, so redaction and serializers have run before it formats):
 * one line per entry, local time `HH:MM:ss.l`, request method, URL and status in the message, no pid, hostname,
 * component or request IDs; colours when `colorize` (a terminal).
 */
function prettyStream(destination: DestinationStream | undefined, colorize: boolean): DestinationStream {
  return pretty({
    destination: destination ?? 1, colorize, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', messageFormat: PRETTY_MESSAGE,
    ignore: 'pid,hostname,component,reqId,req,res,responseTime', sync: destination === undefined,
  });
}

/**
 * The gateway's pino logger: level from `LOG_LEVEL`, a `req` serializer that logs method, URL with `api_key`
 * redacted and remote address (never headers, so never `X-API-Key`), plus pino `redact` for any stray
 * `x-api-key`/`apiKey` field. Writes to `destination` (default stdout) as JSON lines, or with `format` `pretty`
 * through pino-pretty (`colorize`: ANSI colours, default off).
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json', colorize = false): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['req.headers["x-api-key"]', 'headers["x-api-key"]', 'apiKey', '*.apiKey', 'api_key', '*.api_key'],
        censor: '***',
      },
      serializers: { req: requestSerializer(null) },
    },
    format === 'pretty' ? prettyStream(destination, colorize) : destination,
  );
}
