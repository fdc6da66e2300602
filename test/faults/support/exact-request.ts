import { request } from 'node:http';
import { connect } from 'node:net';

/** An HTTP answer as the tests read it: status, headers (lower-case names) and the body text. */
export interface ExactAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends one HTTP/1.1 request with `path` exactly as given (no dot-segment or percent-encoding normalization, unlike
 * `fetch`), and resolves with the whole answer. `headers` may set `host`; `null` leaves it out. `localAddress`
 * picks the client's address (any 127.0.0.0/8 address works on Linux loopback); `body` is sent as given.
 */
export function exactRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string | null> = {},
  { localAddress, body }: { localAddress?: string; body?: string } = {},
): Promise<ExactAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== null) sent[name] = value;
  return new Promise((resolve, reject) => {
    const setHost = headers.host !== null && !('host' in sent);
    const req = request({ host: hostname, port, method, path, headers: sent, setHost, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Writes `raw` bytes on a plain socket and resolves with the first HTTP answer read back (status line, headers,
 * and a body of `Content-Length` bytes), for requests `http.request` cannot send: HTTP/1.0 without `Host`, or an
 * upgrade. Rejects after `timeoutMs` (default 5,000 ms) without a complete answer.
 */
export function rawExchange(baseUrl: string, raw: string, timeoutMs = 5_000): Promise<ExactAnswer & { statusLine: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete HTTP answer within ${timeoutMs} ms: ${JSON.stringify(text)}`));
    }, timeoutMs);
    const finish = (): boolean => {
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      const body = text.slice(end + 4);
      if (Buffer.byteLength(body) < Number(headers['content-length'] ?? 0)) return false;
      clearTimeout(timer);
      socket.destroy();
      resolve({ statusLine, status: Number(statusLine.split(' ')[1]), headers, body });
      return true;
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      finish();
    });
    socket.on('close', () => {
      if (!finish()) {
        clearTimeout(timer);
        reject(new Error(`connection closed without a complete HTTP answer: ${JSON.stringify(text)}`));
      }
    });
    socket.on('error', () => undefined);
  });
}
