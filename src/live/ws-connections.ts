import type { Clock, ClockTimer } from '../config/clock.js';
import { CloseCode, type CloseCodeValue } from './close-codes.js';
import type { WsAdmission, WsConnection } from './ws-connection.js';

/** Settings of {@link WsConnections}. */
export interface WsConnectionsOptions {
  /** `WS_HEARTBEAT_INTERVAL` in seconds. */
  heartbeatIntervalS: number;
  /** `WS_MAX_CONNECTIONS`: authenticated connections. */
  maxConnections: number;
  /** `WS_MAX_PENDING_AUTH`: connections still waiting for their `auth` message. */
  maxPendingAuth: number;
  clock: Clock;
}

/**
 * Every open `GET /api/ws` connection of one gateway, in two separately capped groups: those still waiting for `auth`
 * (`WS_MAX_PENDING_AUTH`) and authenticated ones (`WS_MAX_CONNECTIONS`), so sockets without a key can never take an
 * authenticated client's slot. Drives one shared heartbeat timer (a protocol ping every `WS_HEARTBEAT_INTERVAL`
 * seconds, RFC 6455 §5.5.2) and closes them all at shutdown with 4503.
 */
export class WsConnections implements WsAdmission {
  private readonly pending = new Set<WsConnection>();
  private readonly authenticated = new Set<WsConnection>();
  private readonly timer: ClockTimer;

  constructor(private readonly options: WsConnectionsOptions) {
    this.timer = options.clock.setInterval(() => {
      for (const connection of this.all()) connection.heartbeat();
    }, options.heartbeatIntervalS * 1000);
  }

  /** Open connections waiting for `auth`, and authenticated ones. */
  counts(): { pendingAuth: number; authenticated: number } {
    return { pendingAuth: this.pending.size, authenticated: this.authenticated.size };
  }

  /** The largest send queue (messages) any open connection has had; 0 when none is open. */
  queuePeak(): number {
    let peak = 0;
    for (const connection of this.authenticated) peak = Math.max(peak, connection.queuePeak);
    return peak;
  }

  admitPending(connection: WsConnection): boolean {
    if (this.pending.size >= this.options.maxPendingAuth) return false;
    this.pending.add(connection);
    return true;
  }

  admitAuthenticated(connection: WsConnection): boolean {
    this.pending.delete(connection);
    if (this.authenticated.size >= this.options.maxConnections) return false;
    this.authenticated.add(connection);
    return true;
  }

  remove(connection: WsConnection): void {
    this.pending.delete(connection);
    this.authenticated.delete(connection);
  }

  /** Stops the heartbeat and closes every connection (default 4503: server shutting down, reconnect). Idempotent. */
  closeAll(code: CloseCodeValue = CloseCode.shuttingDown): void {
    this.timer.cancel();
    for (const connection of this.all()) connection.close(code);
  }

  private all(): WsConnection[] {
    return [...this.pending, ...this.authenticated];
  }
}
