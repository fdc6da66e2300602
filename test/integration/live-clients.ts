import { request as httpRequest, type IncomingMessage } from 'node:http';
import WebSocket, { type ClientOptions } from 'ws';
import { eventually } from './support/eventually.js';

/** A JSON message of the live protocol as the tests read it. */
export type LiveMessage = { type: string; [field: string]: unknown };

/** A WebSocket test client that records every message (an array frame's elements one by one) and the close code. */
export class WsClient {
  readonly messages: LiveMessage[] = [];
  /** Every frame as parsed: a message, or an array of them (batched frames). */
  readonly frames: Array<LiveMessage | LiveMessage[]> = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as LiveMessage | LiveMessage[];
      this.frames.push(frame);
      this.messages.push(...(Array.isArray(frame) ? frame : [frame]));
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = String(reason);
        resolve(code);
      }),
    );
    socket.on('error', () => undefined);
  }

  /** Opens a connection and waits until it is open (rejects on an HTTP refusal). */
  static async connect(url: string, options: ClientOptions = {}): Promise<WsClient> {
    const socket = new WebSocket(url, options);
    const client = new WsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Messages of one type (and device, when given), in arrival order. */
  ofType(type: string, deviceId?: string): LiveMessage[] {
    return this.messages.filter((m) => m.type === type && (deviceId === undefined || m.deviceId === deviceId));
  }

  /** Waits until a message matching `predicate` arrived (at index `after` or later); returns the first one. */
  async waitFor(predicate: (m: LiveMessage) => boolean, timeoutMs = 10_000, after = 0): Promise<LiveMessage> {
    return eventually(() => {
      const found = this.messages.slice(after).find(predicate);
      if (!found) throw new Error(`no matching message among ${this.messages.length}: ${JSON.stringify(this.messages.slice(-5))}`);
      return found;
    }, { timeoutMs });
  }

  /** Sends `ping` and waits for the `pong` after it: every message queued before is then received. */
  async roundTrip(timeoutMs = 10_000): Promise<void> {
    const before = this.ofType('pong').length;
    this.send({ type: 'ping' });
    await eventually(() => {
      if (this.ofType('pong').length <= before) throw new Error('no pong yet');
    }, { timeoutMs });
  }

  /** Closes (or, when already closing, destroys) the socket. */
  close(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close();
    else this.socket.terminate();
  }
}

/** One Server-Sent Event as received (WHATWG HTML §9.2.6 field rules, enough for these tests). */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/** A raw SSE test client over `http.request`: status, headers, parsed events and comments. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  body = '';
  private buffer = '';

  private constructor(readonly response: IncomingMessage, private readonly destroy: () => void) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.onData(chunk));
    response.on('error', () => undefined);
  }

  /** Opens `url` with `headers` and resolves once the response head arrived. */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) =>
        resolve(new SseClient(res, () => req.destroy())),
      );
      req.on('error', reject);
      req.end();
    });
  }

  get status(): number | undefined {
    return this.response.statusCode;
  }

  /** Events named `event` (telemetry, status, reset). */
  named(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  close(): void {
    this.destroy();
  }

  private onData(chunk: string): void {
    this.body += chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { id: undefined, event: 'message', data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = value;
        if (field === 'event') event.event = value;
        if (field === 'data') {
          event.data += (hasData ? '\n' : '') + value;
          hasData = true;
        }
      }
      if (hasData) this.events.push(event);
    }
  }
}
