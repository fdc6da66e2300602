import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** One request exactly as the fuzzer sends it: the path (with its query) goes on the wire byte for byte. */
export interface RawRequest {
  method: string;
  /** Request target, e.g. `/%61pi/devices?limit=1`; printable ASCII only (Node refuses anything else). */
  path: string;
  /** Header names and values; `host` replaces the default `127.0.0.1:<port>`. */
  headers: Record<string, string | string[]>;
  body?: Buffer;
}

/** What came back: status, headers, raw header lines and the body (an event stream: its first block only). */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

/** Longest wait for one answer (ms); a request that gets none by then fails the property. */
const ANSWER_TIMEOUT_MS = 5_000;

/**
 * Sends `req` over a fresh connection with `node:http` (no agent, no URL normalization: percent-encodings and dot
 * segments reach the server as written). An answer with `text/event-stream` is read until its first event block, then
 * the connection is dropped; a `101` upgrade is dropped at once.
 * @throws Error when the connection fails or no answer came within 5 s.
 */
export function sendRaw(port: number, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const hasHost = Object.keys(req.headers).some((name) => name.toLowerCase() === 'host');
    const client = httpRequest({
      host: '127.0.0.1', port, method: req.method, path: req.path, agent: false, setHost: !hasHost,
      headers: req.headers, timeout: ANSWER_TIMEOUT_MS,
    });
    const finish = (response: RawResponse): void => {
      resolve(response);
      client.destroy();
    };
    client.on('timeout', () => client.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    let status: number | undefined;
    client.on('error', (error) =>
      reject(status === undefined ? error : new Error(`invalid HTTP stream after a ${status} answer: ${error.message}`)));
    client.on('upgrade', (res, socket) => {
      socket.destroy();
      finish({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: '' });
    });
    client.on('response', (res) => {
      status = res.statusCode;
      const stream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      let body = '';
      const done = (): void => finish({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (stream && body.includes('\n\n')) done();
      });
      // Answered (also for a rejected body): wait for the end, so bytes after the answer are seen as an error.
      res.on('end', () => setImmediate(done));
      res.on('error', reject);
    });
    client.end(req.body);
  });
}
