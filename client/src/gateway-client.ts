import { backoffDelay, type BackoffOptions } from './backoff.js';
import { systemClock, type ClientClock, type ClientTimer } from './clock.js';
import type { ClientEvents, ClientState } from './client-events.js';
import { closeAction, stopReason } from './close-actions.js';
import { Emitter } from './emitter.js';
import { forEachMessage } from './frames.js';
import type { ServerMessage } from './messages.js';
import { ResumePositions } from './resume-positions.js';
import { liveUrl, OPEN, type SocketConstructor, type SocketLike } from './socket.js';
import { Subscriptions, type SubscribeOptions } from './subscriptions.js';

/** The least wait after `1013` (too many connections), ms. */
const RETRY_LATER_MIN_MS = 5000;

/** Options of a {@link GatewayClient}. */
export interface GatewayClientOptions {
  /** The gateway's URL (`http://localhost:5000`) or its `ws(s)://…/api/ws` URL. */
  url: string;
  /** The API key, sent in a first `auth` message (never in the URL); a function is asked at every connect. */
  apiKey?: string | null | (() => string | null | undefined);
  /** The WebSocket class: `globalThis.WebSocket` by default; in Node 20 pass `ws`'s. */
  WebSocket?: SocketConstructor;
  /** Reconnect delays (exponential, capped, with jitter). */
  backoff?: BackoffOptions;
  /** Reconnect attempts in a row before giving up (default: no limit). */
  maxAttempts?: number;
  /** Timers and `now()` (default: the system's). */
  clock?: ClientClock;
  /**
   * Ask for batched frames (`?batch=true`, default true): messages that waited for the socket come as one JSON array
   * frame, unpacked here into the same `message` / per-type events, one per message in order.
   */
  batch?: boolean;
  /**
   * Receive the `devices` list (after auth and on its changes; default true). `false` asks for none (`?devices=false`),
   * for a client that only wants its devices' telemetry.
   */
  devices?: boolean;
}

/**
 * A client of the gateway's `GET /api/ws`: authenticates with the key, keeps its subscriptions across reconnects
 * (exponential backoff with jitter), resumes each device from its last telemetry position and drops repeats by
 * position, and maps close codes to actions (4401/4403 stop; 4503, 4408, 4429, 1006 retry; 1013 retry later).
 * Listeners run synchronously; one that throws interrupts the message's other listeners (not the other messages of
 * a batched frame: they are still delivered, then the first error is thrown).
 */
export class GatewayClient extends Emitter<ClientEvents> {
  private readonly url: string;
  private readonly Socket: SocketConstructor;
  private readonly clock: ClientClock;
  private readonly positions = new ResumePositions();
  private readonly subscriptions = new Subscriptions();
  private socket: SocketLike | null = null;
  private retryTimer: ClientTimer | undefined;
  private attempt = 0;
  private stopped = true;
  private current: ClientState = { state: 'offline', why: 'stopped' };

  /** @throws TypeError for a URL that does not parse, or when no WebSocket class is given nor global. */
  constructor(private readonly options: GatewayClientOptions) {
    super();
    const query = new URLSearchParams();
    if (options.batch !== false) query.set('batch', 'true');
    if (options.devices === false) query.set('devices', 'false');
    this.url = liveUrl(options.url) + (query.size > 0 ? `?${query.toString()}` : '');
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
    if (!Socket) throw new TypeError('no WebSocket: pass one (e.g. `import WebSocket from "ws"`)');
    this.Socket = Socket;
    this.clock = options.clock ?? systemClock;
  }

  /** The current connection state. */
  get state(): ClientState {
    return this.current;
  }

  /** The last telemetry position received per device (the `from` of the next resume). */
  get lastPositions(): ReadonlyMap<string, string> {
    return new Map(this.positions.entries());
  }

  /** Connects (idempotent); reconnects by itself until {@link GatewayClient.close} or a `stop` close code. */
  connect(): void {
    this.stopped = false;
    if (!this.socket && !this.retryTimer) this.open();
  }

  /** Closes the socket (1000) and stops reconnecting. */
  close(): void {
    this.stopped = true;
    this.cancelRetry();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'bye');
    this.setState({ state: 'offline', why: 'stopped' });
  }

  /** While waiting to reconnect: reconnects now. */
  retryNow(): void {
    if (this.stopped || this.socket) return;
    this.cancelRetry();
    this.open();
  }

  /**
   * Subscribes to devices (or, with `options.deviceIdPattern`, to every device matching it; `deviceIds` may then be
   * empty). Subscribing again to a device replaces its options. Without `from` a device starts at its latest message.
   * @throws RangeError past 10 000 subscriptions.
   */
  subscribe(deviceIds: string | readonly string[], options: SubscribeOptions = {}): void {
    const ids = typeof deviceIds === 'string' ? [deviceIds] : [...deviceIds];
    const { from, ...rest } = options;
    for (const id of ids) this.positions.set(id, from);
    this.subscriptions.add(ids, rest);
    this.send(this.subscriptions.message(ids, rest, this.positions));
  }

  /** Ends the subscriptions to these devices and forgets their positions. */
  unsubscribe(deviceIds: string | readonly string[]): void {
    const ids = typeof deviceIds === 'string' ? [deviceIds] : [...deviceIds];
    this.subscriptions.remove(ids);
    for (const id of ids) this.positions.set(id, undefined);
    this.send({ type: 'unsubscribe', deviceIds: ids });
  }

  private open(): void {
    this.retryTimer = undefined;
    const socket = new this.Socket(this.url);
    this.socket = socket;
    this.setState({ state: 'connecting', attempt: this.attempt });
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      const key = typeof this.options.apiKey === 'function' ? this.options.apiKey() : this.options.apiKey;
      if (key) socket.send(JSON.stringify({ type: 'auth', apiKey: key }));
      for (const message of this.subscriptions.messages(this.positions)) socket.send(JSON.stringify(message));
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      forEachMessage(event.data, (message) => {
        if (socket === this.socket) this.onMessage(message); // a listener may have closed it mid-frame
      });
    });
    socket.addEventListener('close', (event) => this.onClose(socket, event.code, event.reason));
    socket.addEventListener('error', () => undefined); // a close follows
  }

  private onMessage(message: ServerMessage): void {
    if (this.current.state !== 'connected') {
      this.attempt = 0; // the gateway answers only after it accepted the key
      this.setState({ state: 'connected' });
    }
    if (message.type === 'telemetry' && !this.positions.accept(message.deviceId, message.position)) return;
    if (message.type === 'subscribed' && message.latest) this.positions.adopt(message.deviceId, message.latest.position);
    if (message.type === 'reset') this.positions.set(message.deviceId, undefined); // the whole history follows
    this.emit('message', message);
    this.emit(message.type, message);
  }


  private onClose(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    const action = closeAction(code);
    this.emit('close', { code, reason, action });
    if (this.stopped) return;
    if (action === 'stop') {
      this.stopped = true;
      return this.setState({ state: 'offline', why: stopReason(code), code });
    }
    if (this.attempt >= (this.options.maxAttempts ?? Infinity)) {
      this.stopped = true;
      return this.setState({ state: 'offline', why: 'exhausted', code });
    }
    let delayMs = backoffDelay(this.attempt, this.options.backoff);
    if (action === 'retryLater') delayMs = Math.max(delayMs, RETRY_LATER_MIN_MS);
    this.attempt += 1;
    this.retryTimer = this.clock.setTimeout(() => this.open(), delayMs);
    this.setState({ state: 'reconnecting', code, reason, attempt: this.attempt, delayMs, retryAt: this.clock.now() + delayMs });
  }

  private send(message: object): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private cancelRetry(): void {
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
  }

  private setState(state: ClientState): void {
    this.current = state;
    this.emit('state', state);
  }
}
