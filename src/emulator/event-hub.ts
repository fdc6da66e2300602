import { createHash } from 'node:crypto';
import { encodeEventMessage, type DeviceMessage } from './event-message.js';
import { PartitionLog, type LogPosition, type LogRetention } from './partition-log.js';
import { Partitioner } from './partitioner.js';
import type { SendResult } from './emulator-types.js';

/** Called after an event is appended to a partition (readers waiting on it wake up; persistence writes it). */
export type AppendListener = (log: PartitionLog, position: LogPosition, message: Buffer) => void;

/**
 * The emulated event hub's storage: N partition logs, the device → partition mapping, and the listeners told of each
 * appended event. It knows nothing of AMQP or HTTP.
 */
export class EventHub {
  readonly partitions: PartitionLog[];
  readonly partitionIds: string[];
  readonly createdAt = new Date();
  private readonly partitioner: Partitioner;
  private readonly generationIds = new Map<string, string>();
  private readonly waiting: Set<() => void>[];
  private appendListener: AppendListener | undefined;

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

  /** Sets the single listener told of every appended event (persistence). */
  onAppend(listener: AppendListener): void {
    this.appendListener = listener;
  }

  /** Registers `wake`, called after each event appended to partition `index`; returns the unregister function. */
  watch(index: number, wake: () => void): () => void {
    const set = this.waiting[index];
    set?.add(wake);
    return () => set?.delete(wake);
  }

  /** Enqueues a validated device message into its device's partition and wakes that partition's readers. */
  enqueue(input: DeviceMessage, nowMs = Date.now()): SendResult {
    const index = this.partitioner.indexOf(input.deviceId);
    const log = this.partitions[index] as PartitionLog;
    const position = log.nextPosition(input.body.length, nowMs);
    const encoded = encodeEventMessage(input, position, this.generationIdOf(input.deviceId));
    log.append(position, encoded, nowMs);
    this.appendListener?.(log, position, encoded);
    for (const wake of this.waiting[index] as Set<() => void>) wake();
    return {
      partitionId: log.partitionId,
      sequenceNumber: position.sequenceNumber,
      offset: String(position.offset),
      enqueuedTime: new Date(position.enqueuedMs),
    };
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
