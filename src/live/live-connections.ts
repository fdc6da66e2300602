import { CloseCode, type CloseCodeValue } from './close-codes.js';
import type { LiveConnection } from './ws-connection.js';

/**
 * Every open `GET /api/ws` connection of one gateway: counts them against `WS_MAX_CONNECTIONS`, drives one shared
 * heartbeat timer (a protocol ping every `WS_HEARTBEAT_INTERVAL` seconds, RFC 6455 §5.5.2), and closes them all at
 * shutdown with 4503.
 */
export class LiveConnections {
  private readonly connections = new Set<LiveConnection>();
  private readonly timer: NodeJS.Timeout;

  /**
   * @param heartbeatIntervalS `WS_HEARTBEAT_INTERVAL` in seconds.
   * @param maxConnections `WS_MAX_CONNECTIONS`.
   */
  constructor(
    heartbeatIntervalS: number,
    private readonly maxConnections: number,
  ) {
    this.timer = setInterval(() => {
      for (const connection of this.connections) connection.heartbeat();
    }, heartbeatIntervalS * 1000);
    this.timer.unref();
  }

  /** Open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** Open connections waiting for `auth`, and authenticated ones. */
  counts(): { pendingAuth: number; authenticated: number } {
    let authenticated = 0;
    for (const connection of this.connections) if (connection.isAuthenticated) authenticated += 1;
    return { pendingAuth: this.connections.size - authenticated, authenticated };
  }

  /** The largest send queue (messages) any open connection has had; 0 when none is open. */
  queuePeak(): number {
    let peak = 0;
    for (const connection of this.connections) peak = Math.max(peak, connection.queuePeak);
    return peak;
  }

  /** Whether another connection may be accepted. */
  hasRoom(): boolean {
    return this.connections.size < this.maxConnections;
  }

  /** Tracks a connection until it calls {@link LiveConnections.remove}. */
  add(connection: LiveConnection): void {
    this.connections.add(connection);
  }

  /** Forgets a closed connection. */
  remove(connection: LiveConnection): void {
    this.connections.delete(connection);
  }

  /** Stops the heartbeat and closes every connection (default 4503: server shutting down, reconnect). Idempotent. */
  closeAll(code: CloseCodeValue = CloseCode.shuttingDown): void {
    clearInterval(this.timer);
    for (const connection of [...this.connections]) connection.close(code);
  }
}
