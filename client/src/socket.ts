/** The part of the WHATWG `WebSocket` the client uses: the browser's, or the `ws` package's class in Node. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

/** A `WebSocket` constructor (`globalThis.WebSocket`, or `import WebSocket from 'ws'`). */
export type SocketConstructor = new (url: string) => SocketLike;

/** `readyState` of an open socket. */
export const OPEN = 1;

/**
 * The `GET /api/ws` URL of a gateway: `http(s)://host[:port][/base]` becomes `ws(s)://…/api/ws`; a URL that already
 * ends in `/api/ws` is kept. Throws `TypeError` for a URL that does not parse.
 */
export function liveUrl(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (!parsed.pathname.endsWith('/api/ws')) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/api/ws`;
  return parsed.toString();
}
