import { filter, type Subscription } from 'rxjs';
import type { RawData, WebSocket } from 'ws';
import type { Clock, ClockTimer } from '../config/clock.js';
import { apiKeyMatches } from '../config/api-key-match.js';
import { parseClientMessage, type ClientMessage } from './client-messages.js';
import { CloseCode, closeReason, type CloseCodeValue } from './close-codes.js';
import type { LiveServices } from './live-services.js';
import { pushDevices } from './devices-feed.js';
import { SendQueue } from './send-queue.js';
import { errorMessage, PONG, statusMessage } from './server-messages.js';
import { WsSubscriptions } from './ws-subscriptions.js';

/** How a connection asks for a slot (`WsConnections`); each `admit*` returns false when there is none. */
export interface WsAdmission {
  /** A slot among the sockets still waiting for `auth` (`WS_MAX_PENDING_AUTH`). */
  admitPending(connection: WsConnection): boolean;
  /** An authenticated slot (`WS_MAX_CONNECTIONS`); frees the connection's pending slot either way. */
  admitAuthenticated(connection: WsConnection): boolean;
  /** Forgets a closed connection (idempotent). */
  remove(connection: WsConnection): void;
}

/** What a {@link WsConnection} needs besides its socket and the gateway services. */
export interface WsConnectionDeps {
  /** The `api_key` query parameter, when the URL had one. */
  queryApiKey: string | undefined;
  /** The `batch` query parameter: `true`/`false`, or a `bad_request` message for any other value (sent after auth). */
  queryBatch?: boolean | { invalid: string };
  /** The `devices` query parameter, parsed like `queryBatch`: `false` for no `devices` messages. */
  queryDevices?: boolean | { invalid: string };
  /** Where it takes its pending and authenticated slots (1013 when there is none) and says it closed. */
  admission: WsAdmission;
  /** Runs the auth window (`WS_AUTH_TIMEOUT`). */
  clock: Clock;
  /** Called when the client presents a wrong key (in `api_key` or the `auth` message): the auth throttle counts it. */
  onAuthFailure?: () => void;
}

/**
 * One authenticated-or-authenticating `GET /api/ws` connection: authentication by `api_key` or a first `auth`
 * message within `WS_AUTH_TIMEOUT` seconds (else 4401), array frames when it asked for them (`batch: true` in `auth`,
 * else `?batch=true`; any other `batch` value in the URL is answered with a `bad_request` `error` right after auth
 * and leaves batching off), then the hub-wide `status` and, unless it asked not to (`devices: false` in `auth`, else
 * `?devices=false`; another value is answered like `batch`'s), the `devices` list at once (and on their changes), the client → server messages, the send queue with
 * backpressure (4429), and the heartbeat state (4408). Never throws into the caller; protocol errors are answered with
 * `error` messages and the socket stays open.
 */
export class WsConnection {
  private authenticated = false;
  private closed = false;
  private missedPings = 0;
  private authTimer: ClockTimer | undefined;
  private hubStatus: Subscription | undefined;
  private stopDevices: (() => void) | undefined;
  private readonly queue: SendQueue;
  private readonly subscriptions: WsSubscriptions;

  /**
   * @param socket the accepted `ws` socket.
   * @param services the app's resources (see {@link LiveServices}).
   * @param deps the `api_key` of the URL, the slots, the clock.
   */
  constructor(
    private readonly socket: WebSocket,
    private readonly services: LiveServices,
    private readonly deps: WsConnectionDeps,
  ) {
    const { config } = services;
    const { queryApiKey } = deps;
    this.queue = new SendQueue(socket, {
      maxQueue: config.wsMaxQueue,
      slowClientTimeoutMs: config.wsSlowClientTimeoutS * 1000,
      clock: deps.clock,
      onTooSlow: () => {
        this.queue.flushDroppedNotices();
        this.close(CloseCode.tooSlow);
      },
    });
    this.subscriptions = new WsSubscriptions(services, this.queue, config.wsMaxSubscriptions);
    socket.on('message', (data: RawData, isBinary: boolean) => this.onFrame(data, isBinary));
    socket.on('pong', () => (this.missedPings = 0));
    socket.on('close', () => this.cleanup());

    if (config.apiKey === null) this.authenticate();
    else if (queryApiKey !== undefined) {
      if (apiKeyMatches(queryApiKey, config.apiKey)) this.authenticate();
      else this.refuseKey();
    } else if (!deps.admission.admitPending(this)) {
      this.close(CloseCode.tryAgainLater);
    } else {
      this.authTimer = deps.clock.setTimeout(() => this.close(CloseCode.unauthorized), config.wsAuthTimeoutS * 1000);
    }
  }

  /** Whether the connection is still open (not closed by either side). */
  get open(): boolean {
    return !this.closed;
  }

  /** Whether the client has authenticated (by `api_key` or an `auth` message). */
  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  /** The largest number of messages the send queue has held. */
  get queuePeak(): number {
    return this.queue.peakSize;
  }

  /** One heartbeat tick (every `WS_HEARTBEAT_INTERVAL` s): a protocol ping; a peer that missed two is closed (4408). */
  heartbeat(): void {
    if (this.closed) return;
    if (this.missedPings >= 2) return this.close(CloseCode.heartbeatTimeout);
    this.missedPings += 1;
    this.socket.ping();
  }

  /** Closes the connection with a code of {@link CloseCode} and ends its subscriptions. Idempotent. */
  close(code: CloseCodeValue): void {
    if (this.closed) return;
    this.cleanup();
    this.socket.close(code, closeReason[code]);
  }

  private authenticate(auth?: { batch?: boolean; devices?: boolean; invalidOptions?: string[] }): void {
    this.authTimer?.cancel();
    if (!this.deps.admission.admitAuthenticated(this)) return this.close(CloseCode.tryAgainLater);
    this.authenticated = true;
    const { queryBatch, queryDevices } = this.deps;
    for (const query of [queryBatch, queryDevices]) {
      if (typeof query === 'object') this.queue.pushControl(errorMessage('bad_request', query.invalid));
    }
    for (const invalid of auth?.invalidOptions ?? []) this.queue.pushControl(errorMessage('bad_request', invalid));
    this.queue.setBatching(auth?.batch ?? queryBatch === true);
    this.queue.pushControl(statusMessage(this.services.hubStatus()));
    if ((auth?.devices ?? queryDevices) !== false) {
      this.stopDevices = pushDevices(this.services.devices, this.queue, this.deps.clock);
    }
    this.hubStatus = this.services.status$
      .pipe(filter((event) => event.deviceId === undefined))
      .subscribe((event) => this.queue.pushControl(statusMessage(event)));
  }

  private refuseKey(): void {
    this.deps.onAuthFailure?.();
    this.close(CloseCode.unauthorized);
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const parsed = isBinary ? { ok: false as const, message: 'text frames only' } : parseClientMessage(rawText(data));
    if (!this.authenticated) {
      const key = this.services.config.apiKey;
      if (!parsed.ok || parsed.message.type !== 'auth') return this.close(CloseCode.unauthorized);
      if (!(key === null || apiKeyMatches(parsed.message.apiKey, key))) return this.refuseKey();
      return this.authenticate(parsed.message);
    }
    if (!parsed.ok) return this.queue.pushControl(errorMessage('bad_request', parsed.message), 'error:bad_request');
    this.dispatch(parsed.message);
  }

  private dispatch(message: ClientMessage): void {
    switch (message.type) {
      case 'subscribe':
        return this.subscriptions.subscribe(message.deviceIds, message.from, message.options);
      case 'unsubscribe':
        return this.subscriptions.unsubscribe(message.deviceIds);
      case 'ping':
        return this.queue.pushControl(PONG);
      case 'auth':
        return; // already authenticated
    }
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.authTimer?.cancel();
    this.queue.close();
    this.subscriptions.close();
    this.hubStatus?.unsubscribe();
    this.stopDevices?.();
    this.deps.admission.remove(this);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
