import { Subject, type Observable } from 'rxjs';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';
import type { TelemetryStoreView } from './device-state.js';

interface DeviceHistory {
  /** Oldest first; at most `limit` entries. */
  items: TelemetryMessage[];
  /** Highest stored sequence number per partition: anything at or below it is a duplicate. */
  lastSequence: Map<string, number>;
}

/**
 * The only owner of telemetry state: per device the latest message and a bounded history of `historyLimit`
 * messages (oldest evicted first), deduplicated by (partition, sequence number). Sequence numbers grow within a
 * partition (Event Hubs), so an event at or below the highest stored one of its partition was already stored
 * (redelivery after a reconnect).
 */
export class TelemetryStore implements TelemetryStoreView {
  private readonly devices = new Map<string, DeviceHistory>();
  private readonly storedSubject = new Subject<TelemetryMessage>();
  /** Every message right after it was stored, all devices. */
  readonly stored$: Observable<TelemetryMessage> = this.storedSubject.asObservable();

  /** @param historyLimit messages kept per device (`HISTORY_LIMIT`), ≥ 1. */
  constructor(private readonly historyLimit: number) {}

  /**
   * Stores a message unless it is a duplicate.
   * @returns true when stored (and emitted on `stored$`), false for a duplicate.
   */
  add(message: TelemetryMessage): boolean {
    let device = this.devices.get(message.deviceId);
    if (!device) {
      device = { items: [], lastSequence: new Map() };
      this.devices.set(message.deviceId, device);
    }
    const last = device.lastSequence.get(message.partitionId);
    if (last !== undefined && message.sequenceNumber <= last) return false;
    device.lastSequence.set(message.partitionId, message.sequenceNumber);
    device.items.push(message);
    // Amortised eviction: trim in chunks so a full history does not shift the array on every message.
    if (device.items.length > this.historyLimit + Math.max(16, this.historyLimit >> 3)) {
      device.items.splice(0, device.items.length - this.historyLimit);
    }
    this.storedSubject.next(message);
    return true;
  }

  /** The device's latest stored message, or `undefined`. */
  latest(deviceId: string): TelemetryMessage | undefined {
    return this.devices.get(deviceId)?.items.at(-1);
  }

  /** The device's history, oldest first, at most `historyLimit` messages. */
  history(deviceId: string): readonly TelemetryMessage[] {
    const items = this.devices.get(deviceId)?.items ?? [];
    return items.length > this.historyLimit ? items.slice(items.length - this.historyLimit) : items;
  }

  /** Forgets everything stored for a device (on unregistration). */
  remove(deviceId: string): void {
    this.devices.delete(deviceId);
  }

  /** Completes `stored$` (on shutdown). */
  close(): void {
    this.storedSubject.complete();
  }
}
