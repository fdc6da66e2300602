import { droppedMessage } from './server-messages.js';

/**
 * The drop accounting of one send queue: telemetry dropped by backpressure, counted per device until the client is
 * told with one `{"type":"dropped","deviceId","count"}` per device (in the order the devices first lost a message),
 * and the total over the queue's life. Bounded by the devices the connection receives.
 */
export class DroppedNotices {
  private readonly byDevice = new Map<string, number>();
  private dropped = 0;

  /** Messages dropped over the queue's life. */
  get total(): number {
    return this.dropped;
  }

  /** Whether some drop was not yet told to the client. */
  get pending(): boolean {
    return this.byDevice.size > 0;
  }

  /** Counts one dropped message of `deviceId`. */
  count(deviceId: string): void {
    this.byDevice.set(deviceId, (this.byDevice.get(deviceId) ?? 0) + 1);
    this.dropped += 1;
  }

  /**
   * Moves the notices not yet told into `frame`, oldest device first, each serialized once, while it takes them;
   * those it refuses stay for the next call. True when none is left.
   */
  moveInto(frame: { add(text: string): boolean }): boolean {
    if (this.byDevice.size === 0) return true; // the common case: no iterator to allocate
    for (const [deviceId, count] of this.byDevice) {
      if (!frame.add(JSON.stringify(droppedMessage(deviceId, count)))) return false;
      this.byDevice.delete(deviceId);
    }
    return true;
  }

  /** Forgets the notices not yet told (the connection closes). */
  clear(): void {
    this.byDevice.clear();
  }
}
