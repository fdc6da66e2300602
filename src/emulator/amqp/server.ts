import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { AmqpError, Connection, EventContext, Sender } from 'rhea';
import type { EventHub } from '../event-hub.js';
import { answerCbs } from './cbs.js';
import { answerManagement } from './management.js';
import { Ownership } from './ownership.js';
import { PartitionReader } from './partition-reader.js';
import { rhea, type AcceptingConnection, type SaslServerMechanisms } from './rhea.js';
import { resolveStartPosition, SELECTOR_FILTER_KEY } from './start-position.js';

const PARTITION_ADDRESS = /^([^/]+)\/ConsumerGroups\/([^/]+)\/Partitions\/([^/]+)$/i;
const RUNTIME_METRIC = 'com.microsoft:enable-receiver-runtime-metric';
/** How long a dropped connection's socket may take to close by itself before it is destroyed (ms). */
const CLOSE_GRACE_MS = 200;

/** The fault switches the AMQP side reads. */
export interface AmqpFaultState {
  /** True while put-token must answer 401. */
  isAuthRejected(): boolean;
  /** True while the AMQP side must not answer. */
  isStalled(): boolean;
}

/**
 * The emulator's AMQP 1.0 endpoint: a rhea container in server mode (SASL ANONYMOUS and PLAIN, plain TCP) serving
 * `$cbs`, `$management` and partition receivers `<hub>/ConsumerGroups/<group>/Partitions/<id>`, as described in
 * docs/event-hubs-amqp.md.
 */
export class AmqpServer {
  readonly ownership = new Ownership();
  private readonly container = rhea.create_container({ id: 'iothub-emulator' });
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly open = new Set<Connection>();
  private readonly readers = new Map<Connection, Set<PartitionReader>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly hub: EventHub, private readonly faults: AmqpFaultState) {
    const mechanisms = this.container.sasl_server_mechanisms as SaslServerMechanisms;
    mechanisms.enable_anonymous();
    mechanisms.enable_plain(() => true);
    this.server = createServer((socket) => this.accept(socket));
    this.container.on('connection_open', (c: EventContext) => this.open.add(c.connection));
    this.container.on('connection_close', (c: EventContext) => this.dropConnection(c.connection));
    this.container.on('disconnected', (c: EventContext) => this.dropConnection(c.connection));
    this.container.on('connection_error', () => undefined);
    this.container.on('error', () => undefined);
    this.container.on('sender_open', (c: EventContext) => this.onSenderOpen(c.connection, c.sender as Sender));
    this.container.on('sender_close', (c: EventContext) => this.onSenderClose(c.connection, c.sender as Sender));
    this.container.on('receiver_open', (c: EventContext) => this.onReceiverOpen(c));
    this.container.on('message', (c: EventContext) => this.onMessage(c));
    this.container.on('sendable', (c: EventContext) => this.readerOf(c.connection, c.sender)?.pump());
  }

  /** Listens on `host:port` (0 picks a free port). @returns the bound port. */
  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Number of open AMQP connections. */
  get connectionCount(): number {
    return this.open.size;
  }

  /** Pauses or resumes reading every socket (stall fault); on resume, readers deliver what they hold back. */
  setPaused(paused: boolean): void {
    for (const socket of this.sockets) {
      if (paused) socket.pause();
      else socket.resume();
    }
    if (!paused) for (const set of this.readers.values()) for (const reader of set) reader.pump();
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

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.setNoDelay(true);
    if (this.faults.isStalled()) socket.pause();
    (this.container.create_connection({ id: `emulator-${this.sockets.size}` } as never) as unknown as AcceptingConnection).accept(socket);
  }

  private dropConnection(connection: Connection): void {
    this.open.delete(connection);
    const set = this.readers.get(connection);
    if (!set) return;
    for (const reader of set) {
      reader.close();
      this.ownership.remove(reader);
    }
    this.readers.delete(connection);
  }

  private readerOf(connection: Connection, sender: Sender | undefined): PartitionReader | undefined {
    const set = this.readers.get(connection);
    if (!set || !sender) return undefined;
    for (const reader of set) if (reader.sender === sender) return reader;
    return undefined;
  }

  private onSenderOpen(connection: Connection, sender: Sender): void {
    const source = sender.source as { address: string; filter?: Record<string, unknown> } | undefined;
    if (source) sender.set_source(source);
    if (sender.target) sender.set_target(sender.target);
    const address = source?.address ?? '';
    if (address === '$cbs' || address === '$management') return;
    const match = PARTITION_ADDRESS.exec(address);
    const log = match ? this.hub.partition(match[3] as string) : undefined;
    if (!match || !log || (match[1] as string).toLowerCase() !== this.hub.name.toLowerCase()) {
      sender.close({ condition: 'amqp:not-found', description: `The messaging entity '${address}' could not be found.` });
      return;
    }
    let start: number;
    try {
      start = resolveStartPosition(source?.filter?.[SELECTOR_FILTER_KEY], log);
    } catch (error) {
      sender.close({ condition: 'amqp:invalid-field', description: (error as Error).message });
      return;
    }
    const properties = (sender.properties ?? {}) as Record<string, unknown>;
    const epoch = properties['com.microsoft:epoch'];
    const capabilities = ([] as unknown[]).concat(sender.desired_capabilities ?? []);
    const reader = new PartitionReader(sender, {
      partitionId: log.partitionId,
      consumerGroup: match[2] as string,
      ownerLevel: epoch === undefined || epoch === null ? null : Number(epoch),
      start,
      runtimeInfo: capabilities.includes(RUNTIME_METRIC),
    }, log, () => this.faults.isStalled());
    const refusal = this.ownership.admit(reader);
    if (refusal) {
      reader.close(refusal);
      return;
    }
    let set = this.readers.get(connection);
    if (!set) this.readers.set(connection, (set = new Set()));
    set.add(reader);
    reader.onClose(this.hub.watch(Number(log.partitionId), reader.pump));
    reader.pump();
  }

  private onSenderClose(connection: Connection, sender: Sender): void {
    const reader = this.readerOf(connection, sender);
    if (!reader) return;
    reader.close();
    this.ownership.remove(reader);
    this.readers.get(connection)?.delete(reader);
  }

  private onReceiverOpen(context: EventContext): void {
    const receiver = context.receiver;
    if (!receiver) return;
    const address = (receiver.target as { address?: string } | undefined)?.address ?? '';
    receiver.set_target(receiver.target ?? {});
    if (address !== '$cbs' && address !== '$management') {
      receiver.close({ condition: 'amqp:not-implemented', description: `Sending to '${address}' is not supported by the emulator; devices send over HTTP.` });
    }
  }

  private onMessage(context: EventContext): void {
    const request = context.message;
    const address = (context.receiver?.target as { address?: string } | undefined)?.address;
    if (!request) return;
    const now = Date.now();
    const reply =
      address === '$cbs' ? answerCbs(request, this.faults.isAuthRejected(), now)
      : address === '$management' ? answerManagement(request, this.hub, now)
      : undefined;
    if (!reply) return;
    const replyTo = request.reply_to;
    const sender = context.connection.find_sender(
      (s: Sender) => s.name === replyTo || (s.target as { address?: string } | undefined)?.address === replyTo,
    );
    sender?.send(reply);
  }
}
