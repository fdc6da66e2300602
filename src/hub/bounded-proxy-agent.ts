import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { redactProxy } from './proxy-for-url.js';

/** What the agent's `connect` is given about the target (agent-base's `AgentConnectOpts`). */
type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/** How a tunnel through the proxy failed: `unreachable` (no answer: refused, unknown host, timed out) or `refused` (an answer other than 200). */
export type ProxyFailure = 'unreachable' | 'refused';

/**
 * A CONNECT tunnel through `HTTPS_PROXY` that could not be opened. `code` is `ProxyUnreachable` or `ProxyRefused`;
 * `status` is the proxy's HTTP status when it answered; the message names the proxy without credentials.
 */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  readonly code: 'ProxyUnreachable' | 'ProxyRefused';

  constructor(
    readonly failure: ProxyFailure,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.code = failure === 'unreachable' ? 'ProxyUnreachable' : 'ProxyRefused';
  }
}

/**
 * https-proxy-agent's `HttpsProxyAgent` (CONNECT to the target, then TLS through the tunnel) with two changes: the
 * connection to the proxy and its CONNECT answer are bounded by `timeoutMs` (the agent itself waits as long as the
 * socket does), and a failure rejects with a {@link ProxyError} (the agent answers a non-200 CONNECT with a fake
 * socket replaying the proxy's response, which `ws` would report as the hub's "Unexpected server response").
 */
export class BoundedProxyAgent extends HttpsProxyAgent<string> {
  private readonly shown: string;

  /** @param proxy the proxy URL, `http://[user:password@]host:port` (or `https://`). @param timeoutMs the CONNECT bound in ms. */
  constructor(proxy: string, private readonly timeoutMs: number) {
    super(proxy);
    this.shown = redactProxy(proxy);
  }

  override async connect(req: ClientRequest, opts: ConnectOptions): Promise<Socket> {
    const target = `${opts.host ?? ''}:${opts.port}`;
    const abort = new AbortController();
    let answer: { statusCode: number; statusText: string } | null = null;
    req.once('proxyConnect', (connect: { statusCode: number; statusText: string }) => (answer = connect));
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    // The agent opens its socket from connectOpts before its first await: the signal reaches that socket only.
    const base = this.connectOpts;
    this.connectOpts = { ...base, signal: abort.signal };
    let pending: Promise<Socket>;
    try {
      pending = super.connect(req, opts);
    } finally {
      this.connectOpts = base;
    }
    try {
      const socket = await pending;
      const got = answer as { statusCode: number; statusText: string } | null;
      if (got?.statusCode !== 200) {
        socket.destroy();
        const status = got?.statusCode ?? null;
        const sent = status === 407 && (this.proxy.username || this.proxy.password) ? ' (credentials sent)' : '';
        throw new ProxyError('refused', `proxy ${this.shown} answered CONNECT ${target} with ${`${status ?? 'nothing'} ${got?.statusText ?? ''}`.trim()}${sent}`, status);
      }
      return socket;
    } catch (error) {
      if (error instanceof ProxyError) throw error;
      const why = abort.signal.aborted ? `no answer to CONNECT ${target} within ${this.timeoutMs} ms` : (error as Error).message;
      throw new ProxyError('unreachable', `proxy ${this.shown} unreachable: ${why}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
