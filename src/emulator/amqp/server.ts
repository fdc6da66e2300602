import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { AmqpError, Connection, EventContext, Sender } from 'rhea';
import type { WebSocket } from 'ws';
import type { EventHub } from '../event-hub.js';
import type { IotHubEntry } from './iothub-entry.js';
import type { Ownership } from './ownership.js';
import { PartitionLinks } from './partition-links.js';
import { RequestLinks } from './request-links.js';
import { SERVICE_OPEN_LIMITS, writeEveryField } from './performative-fields.js';
import { rhea, wrapWebSocket, type AcceptingConnection, type SaslServerMechanisms } from './rhea.js';
import { createTlsListener } from './tls-listener.js';

/** How long a dropped connection's socket may take to close by itself before it is destroyed (ms). */
const CLOSE_GRACE_MS = 200;

/** The fault switches the AMQP side reads. */
export interface AmqpFaultState {
  /** True while put-token must answer 401. */
  isAuthRejected(): boolean;
  /** True while the AMQP side must not answer. */
  isStalled(): boolean;
  /** True while partition receivers deliver nothing (`$cbs` and `$management` still answer). */
  isDeliveryHeld(): boolean;
}

/**
 * The emulator's AMQP 1.0 endpoint: a rhea container in server mode (SASL ANONYMOUS, as the SDK uses it, and PLAIN)
 * serving `$cbs`, `$management` and partition receivers, as described in src/emulator/EVENT-HUBS-AMQP.md; plain TCP, or
 * with `tls` AMQPS and AMQP over WebSocket on one port (`tls-listener.ts`). Owns the listening socket, the
 * connections and their sockets.
 */
export class AmqpServer {
  private readonly container = rhea.create_container({ id: 'iothub-emulator' });
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly open = new Set<Connection>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly partitions: PartitionLinks;
  private iotHub: IotHubEntry | undefined;

  constructor(hub: EventHub, private readonly faults: AmqpFaultState, tls?: { cert: string; key: string }) {
    const mechanisms = this.container.sasl_server_mechanisms as SaslServerMechanisms;
    mechanisms.enable_anonymous();
    // PLAIN as `<policy>@sas.root.<hub>` is the IoT hub entry's (checked; a rejection answers SASL `sys`); other PLAIN
    // logins are accepted as before, since `$cbs` authorises the Event Hub-compatible endpoint.
    mechanisms.enable_plain((username, password) => {
      if (!/@sas\.root\./i.test(username)) return true;
      if (!this.iotHub) return Promise.reject(new Error('the IoT hub entry is not served (it needs TLS)'));
      try {
        this.iotHub.authenticate(username, password);
        return true;
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.partitions = new PartitionLinks(hub, () => faults.isStalled() || faults.isDeliveryHeld());
    const requests = new RequestLinks(hub, () => faults.isAuthRejected());
    this.server = tls
      ? createTlsListener(tls, { socket: (socket) => this.track(socket), amqp: (socket) => this.acceptAmqp(socket), webSocket: (ws) => this.acceptWebSocket(ws) })
      : createServer((socket) => {
          this.track(socket);
          this.acceptAmqp(socket);
        });
    const on = (event: string, handler: (context: EventContext) => void) => this.container.on(event, handler);
    on('connection_open', (c) => this.open.add(c.connection));
    on('connection_close', (c) => this.dropConnection(c.connection));
    on('disconnected', (c) => this.dropConnection(c.connection));
    on('connection_error', () => undefined);
    this.container.on('error', () => undefined);
    on('sender_open', (c) => {
      const sender = c.sender as Sender;
      if (sender.source) sender.set_source(sender.source);
      if (sender.target) sender.set_target(sender.target);
      const address = (sender.source as { address?: string } | undefined)?.address;
      if (this.iotHub?.isEventsAddress(address)) this.iotHub.attach(c.connection, sender);
      else if (address !== '$cbs' && address !== '$management' && !this.partitions.attach(c.connection, sender)) {
        sender.close({ condition: 'amqp:not-found', description: `The messaging entity '${address}' could not be found.` });
      }
    });
    on('sender_close', (c) => this.partitions.detach(c.connection, c.sender as Sender));
    on('sendable', (c) => this.partitions.readerOf(c.connection, c.sender)?.pump());
    on('receiver_open', (c) => c.receiver && requests.attach(c.receiver));
    on('message', (c) => requests.onMessage(c));
  }

  /** Listens on `host:port` (0 picks a free port). @returns the bound port. */
  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Serves the IoT hub entry (SASL PLAIN as `<policy>@sas.root.<hub>`, the `messages/events` redirect) from now on. */
  serveIotHub(entry: IotHubEntry): void {
    this.iotHub = entry;
  }

  /** Number of open AMQP connections. */
  get connectionCount(): number {
    return this.open.size;
  }

  /** The attached partition receivers. */
  get ownership(): Ownership {
    return this.partitions.ownership;
  }

  /** Pauses or resumes reading every socket (stall fault); on resume, readers deliver what they held back. */
  setPaused(paused: boolean): void {
    for (const socket of this.sockets) {
      if (paused) socket.pause();
      else socket.resume();
    }
    if (!paused) this.partitions.pumpAll();
  }

  /** Lets every partition receiver deliver what it holds back. */
  pumpAll(): void {
    this.partitions.pumpAll();
  }

  /** Closes every connection with `error` (default `amqp:connection:forced`), destroying sockets after a grace. */
  disconnectAll(error: AmqpError = { condition: 'amqp:connection:forced', description: 'Connection dropped by the emulator (disconnect fault).' }): void {
    for (const socket of this.sockets) socket.resume();
    for (const connection of [...this.open]) {
      try {
        connection.close(error);
      } catch {
        // already closing
      }
      this.dropConnection(connection);
    }
    const sockets = [...this.sockets];
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const socket of sockets) socket.destroy();
    }, CLOSE_GRACE_MS);
    this.timers.add(timer);
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.disconnectAll({ condition: 'amqp:connection:forced', description: 'The emulator is shutting down.' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.setNoDelay(true);
    if (this.faults.isStalled()) socket.pause();
  }

  private acceptAmqp(socket: Socket): void {
    this.createConnection(`emulator-${this.sockets.size}`).accept(socket);
    if (!this.faults.isStalled()) socket.resume();
  }

  private acceptWebSocket(ws: WebSocket): void {
    this.createConnection(`emulator-ws-${this.sockets.size}`).accept(wrapWebSocket(ws));
  }

  /** A server connection that opens with the service's limits and writes every performative field (performative-fields.ts). */
  private createConnection(id: string): AcceptingConnection {
    const connection = this.container.create_connection({ id, ...SERVICE_OPEN_LIMITS } as never);
    writeEveryField(connection);
    return connection as unknown as AcceptingConnection;
  }

  private dropConnection(connection: Connection): void {
    this.open.delete(connection);
    this.partitions.dropConnection(connection);
  }
}
