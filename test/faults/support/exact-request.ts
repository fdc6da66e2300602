import { request } from 'node:http';

/** An HTTP answer as the tests read it: status, headers (lower-case names) and the body text. */
export interface ExactAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends one HTTP/1.1 request with `path` exactly as given (no dot-segment or percent-encoding normalization, unlike
 * `fetch`), and resolves with the whole answer. `headers` may set `host`; `null` leaves it out.
 */
export function exactRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string | null> = {},
): Promise<ExactAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== null) sent[name] = value;
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: sent, setHost: headers.host !== null && !('host' in sent) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
