import type { AmqpError } from 'rhea';
import type { PartitionReader } from './partition-reader.js';

/** Receivers without owner level allowed per partition and consumer group (Event Hubs quota). */
export const MAX_READERS_WITHOUT_OWNER_LEVEL = 5;

/**
 * The receivers attached to each (partition, consumer group), with Event Hubs' owner level (epoch) rules
 * (https://learn.microsoft.com/azure/event-hubs/event-hubs-event-processor-host#epoch):
 * a receiver whose owner level is ≥ the current holder's takes the partition and every other receiver is detached
 * with `amqp:link:stolen`; a lower or absent owner level is refused with `amqp:link:stolen` while an owner-level
 * receiver holds it; a sixth receiver without owner level is refused with `amqp:resource-limit-exceeded`.
 */
export class Ownership {
  private readonly groups = new Map<string, Set<PartitionReader>>();

  /**
   * Admits `reader` (detaching those it displaces) or returns the error to refuse it with.
   * @returns `undefined` when admitted.
   */
  admit(reader: PartitionReader): AmqpError | undefined {
    const { partitionId, consumerGroup, ownerLevel } = reader.spec;
    const key = `${partitionId}\u0000${consumerGroup}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new Set()));
    let holder: PartitionReader | undefined;
    for (const r of group) if (r.spec.ownerLevel !== null) holder = r;
    const held = holder?.spec.ownerLevel ?? null;
    if (ownerLevel === null) {
      if (held !== null) return stolen(`Receiver with owner level '${held}' holds partition ${partitionId}; a receiver without owner level is refused.`);
      if (group.size >= MAX_READERS_WITHOUT_OWNER_LEVEL) {
        return {
          condition: 'amqp:resource-limit-exceeded',
          description: `At most ${MAX_READERS_WITHOUT_OWNER_LEVEL} receivers per partition and consumer group; partition ${partitionId}, consumer group '${consumerGroup}' has them.`,
        };
      }
    } else {
      if (held !== null && held > ownerLevel) return stolen(`Receiver with higher owner level '${held}' holds partition ${partitionId}.`);
      for (const r of group) {
        r.close(stolen(`New receiver with owner level '${ownerLevel}' took partition ${partitionId}; this receiver is disconnected.`));
      }
      group.clear();
    }
    group.add(reader);
    return undefined;
  }

  /** Forgets a receiver (link detached or connection lost). */
  remove(reader: PartitionReader): void {
    const key = `${reader.spec.partitionId}\u0000${reader.spec.consumerGroup}`;
    const group = this.groups.get(key);
    group?.delete(reader);
    if (group?.size === 0) this.groups.delete(key);
  }

  /** Every attached receiver. */
  *all(): Iterable<PartitionReader> {
    for (const group of this.groups.values()) yield* group;
  }
}

function stolen(description: string): AmqpError {
  return { condition: 'amqp:link:stolen', description };
}
