import { createHash } from 'node:crypto';
import { encodeEventMessage, type DeviceMessage } from './event-message.js';
import { PartitionLog, type LogPosition, type LogRetention } from './partition-log.js';
import { Partitioner } from './partitioner.js';
import type { SendResult } from './emulator-types.js';

/** An event with its position held in its partition and its message encoded, not yet visible to readers. */
export interface PreparedEvent {
  log: PartitionLog;
  position: LogPosition;
  /** The encoded AMQP message, as stored and sent to readers. */
  message: Buffer;
}

/**
 * The emulated event hub's storage: N partition logs, the device → partition mapping, and the readers waiting on each
 * partition. An event is first prepared (its position held), then published (appended, readers woken): with a data
 * file, the event is written in between, so nothing a reader or the management API sees can be lost. It knows nothing
 * of AMQP or HTTP.
 */
export class EventHub {
  readonly partitions: PartitionLog[];
  readonly partitionIds: string[];
  readonly createdAt = new Date();
  private readonly partitioner: Partitioner;
  private readonly generationIds = new Map<string, string>();
  private readonly waiting: Set<() => void>[];

  /** @param name event hub name; @param count partition count; @param retention bounds per partition. */
  constructor(readonly name: string, count: number, retention: LogRetention) {
    this.partitionIds = Array.from({ length: count }, (_, i) => String(i));
    this.partitions = this.partitionIds.map((id) => new PartitionLog(id, retention));
    this.waiting = this.partitionIds.map(() => new Set());
    this.partitioner = new Partitioner(count);
  }

  /** The partition log with this ID, or `undefined`. */
  partition(partitionId: string): PartitionLog | undefined {
    return /^\d+$/.test(partitionId) ? this.partitions[Number(partitionId)] : undefined;
  }

  /** The partition ID of a device's messages. */
  partitionOf(deviceId: string): string {
    return String(this.partitioner.indexOf(deviceId));
  }

  /** Registers `wake`, called after each event appended to partition `index`; returns the unregister function. */
  watch(index: number, wake: () => void): () => void {
    const set = this.waiting[index];
    set?.add(wake);
    return () => set?.delete(wake);
  }

  /** Enqueues a validated device message into its device's partition at once (prepare, then publish). */
  enqueue(input: DeviceMessage, nowMs = Date.now()): SendResult {
    return this.publish(this.prepare(input, nowMs), nowMs);
  }

  /**
   * Assigns a validated device message the next position of its device's partition (after those already held) and
   * encodes it; the event stays invisible until {@link publish}. @throws what the encoder throws (nothing is held).
   */
  prepare(input: DeviceMessage, nowMs = Date.now()): PreparedEvent {
    const log = this.partitions[this.partitioner.indexOf(input.deviceId)] as PartitionLog;
    const position = log.nextPosition(input.body.length, nowMs);
    const message = encodeEventMessage(input, position, this.generationIdOf(input.deviceId));
    log.reserve(position);
    return { log, position, message };
  }

  /** Appends a prepared event (in the order prepared) and wakes its partition's readers. */
  publish(event: PreparedEvent, nowMs = Date.now()): SendResult {
    const { log, position } = event;
    log.append(position, event.message, nowMs);
    for (const wake of this.waiting[Number(log.partitionId)] as Set<() => void>) wake();
    return {
      partitionId: log.partitionId,
      sequenceNumber: position.sequenceNumber,
      offset: String(position.offset),
      enqueuedTime: new Date(position.enqueuedMs),
    };
  }

  /** Forgets every prepared, unpublished event: the next event of each partition follows its last published one. */
  releasePrepared(): void {
    for (const log of this.partitions) log.releaseReservations();
  }

  /** Wakes every reader of every partition (after a stall ends). */
  wakeAll(): void {
    for (const set of this.waiting) for (const wake of set) wake();
  }

  /** A stable 18-digit auth generation ID per device, like the service's `iothub-connection-auth-generation-id`. */
  private generationIdOf(deviceId: string): string {
    let id = this.generationIds.get(deviceId);
    if (id === undefined) {
      const n = createHash('sha256').update(deviceId).digest().readBigUInt64BE(0) % 10n ** 17n;
      id = `6${n.toString().padStart(17, '0')}`;
      this.generationIds.set(deviceId, id);
    }
    return id;
  }
}
