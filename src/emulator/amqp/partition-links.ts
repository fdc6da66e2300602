import type { Connection, Sender } from 'rhea';
import type { EventHub } from '../event-hub.js';
import { Ownership } from './ownership.js';
import { PartitionReader } from './partition-reader.js';
import { flowStateOf } from './rhea.js';
import { resolveStartPosition, SELECTOR_FILTER_KEY } from './start-position.js';

const PARTITION_ADDRESS = /^([^/]+)\/ConsumerGroups\/([^/]+)\/Partitions\/([^/]+)$/i;
const RUNTIME_METRIC = 'com.microsoft:enable-receiver-runtime-metric';
/** `amqps://host:port/` (or `sb://`, `amqp://`) before an entity path; the service takes either form. */
const ABSOLUTE_ADDRESS = /^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i;

/** The entity path of a source address: Microsoft's Python SDK sends `amqps://<host>:<port>/<hub>/ConsumerGroups/...`. */
function entityPath(address: string): string {
  return address.replace(ABSOLUTE_ADDRESS, '');
}

/**
 * The partition receivers of every connection: attaches on `<hub>/ConsumerGroups/<group>/Partitions/<id>`, also as an
 * absolute `amqps://<host>:<port>/<hub>/...` address (link
 * properties `com.microsoft:epoch`, desired capability `com.microsoft:enable-receiver-runtime-metric`, the
 * start-position filter), refused with `amqp:not-found`, `amqp:invalid-field` or the owner-level errors
 * (src/emulator/EVENT-HUBS-AMQP.md, "Partition receivers").
 */
export class PartitionLinks {
  readonly ownership = new Ownership();
  private readonly readers = new Map<Connection, Set<PartitionReader>>();

  /** @param isStalled true while the stall fault holds deliveries back. */
  constructor(private readonly hub: EventHub, private readonly isStalled: () => boolean) {}

  /** Handles a client receiver's attach (our sender). @returns false when the address is not a partition's. */
  attach(connection: Connection, sender: Sender): boolean {
    const source = sender.source as { address?: string; filter?: Record<string, unknown> } | undefined;
    const address = source?.address ?? '';
    const match = PARTITION_ADDRESS.exec(entityPath(address));
    if (!match) return false;
    // The service answers with link properties; pyamqp merges them into its own and fails on none (link.py).
    flowStateOf(sender).local.attach.properties = { ...(sender.properties ?? {}) };
    const log = this.hub.partition(match[3] as string);
    if (!log || (match[1] as string).toLowerCase() !== this.hub.name.toLowerCase()) {
      sender.close({ condition: 'amqp:not-found', description: `The messaging entity '${address}' could not be found.` });
      return true;
    }
    let start: number;
    try {
      start = resolveStartPosition(source?.filter?.[SELECTOR_FILTER_KEY], log);
    } catch (error) {
      sender.close({ condition: 'amqp:invalid-field', description: (error as Error).message });
      return true;
    }
    const epoch = ((sender.properties ?? {}) as Record<string, unknown>)['com.microsoft:epoch'];
    const capabilities = ([] as unknown[]).concat(sender.desired_capabilities ?? []);
    const reader = new PartitionReader(sender, {
      partitionId: log.partitionId,
      consumerGroup: match[2] as string,
      ownerLevel: epoch === undefined || epoch === null ? null : Number(epoch),
      start,
      runtimeInfo: capabilities.includes(RUNTIME_METRIC),
    }, log, this.isStalled);
    const refusal = this.ownership.admit(reader);
    if (refusal) {
      reader.close(refusal);
      return true;
    }
    let set = this.readers.get(connection);
    if (!set) this.readers.set(connection, (set = new Set()));
    set.add(reader);
    reader.onClose(this.hub.watch(Number(log.partitionId), reader.pump));
    reader.pump();
    return true;
  }

  /** The client detached its receiver. */
  detach(connection: Connection, sender: Sender): void {
    const reader = this.readerOf(connection, sender);
    if (!reader) return;
    reader.close();
    this.ownership.remove(reader);
    this.readers.get(connection)?.delete(reader);
  }

  /** Forgets every receiver of a closed or lost connection. */
  dropConnection(connection: Connection): void {
    for (const reader of this.readers.get(connection) ?? []) {
      reader.close();
      this.ownership.remove(reader);
    }
    this.readers.delete(connection);
  }

  /** The reader behind a sender, if it is a partition link. */
  readerOf(connection: Connection, sender: Sender | undefined): PartitionReader | undefined {
    for (const reader of this.readers.get(connection) ?? []) if (reader.sender === sender) return reader;
    return undefined;
  }

  /** Lets every reader deliver what it can (after a stall). */
  pumpAll(): void {
    for (const set of this.readers.values()) for (const reader of set) reader.pump();
  }
}
