import { createHash } from 'node:crypto';

/**
 * Maps device IDs to partitions with a stable hash (first 4 bytes of SHA-256 of the UTF-8 device ID, modulo the
 * partition count), as IoT Hub keeps one device's messages in one partition, in order. Results are cached, so the
 * hot path costs one map lookup.
 */
export class Partitioner {
  private readonly cache = new Map<string, number>();

  /** @param partitionCount number of partitions (≥ 1). */
  constructor(private readonly partitionCount: number) {}

  /** The partition index (0-based) of a device ID. */
  indexOf(deviceId: string): number {
    let index = this.cache.get(deviceId);
    if (index === undefined) {
      index = createHash('sha256').update(deviceId, 'utf8').digest().readUInt32BE(0) % this.partitionCount;
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(deviceId, index);
    }
    return index;
  }
}
