import pino, { type DestinationStream, type Logger } from 'pino';

/** Whether a raw query parameter name means `api_key` once percent-decoded (`api%5Fkey` does; any case). */
function isApiKeyName(raw: string): boolean {
  let name = raw;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // malformed escapes: compare the raw name
  }
  return name.toLowerCase() === 'api_key';
}

/**
 * Replaces the value of every `api_key` query parameter in a URL with `***` (request logs must not carry the key).
 * Names are compared after percent-decoding, as the query parser decodes them: `?api%5Fkey=<key>` authenticates too.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq >= 0 && isApiKeyName(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=***` : pair;
  });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
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
