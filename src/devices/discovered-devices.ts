import type { TelemetryMessage } from '../telemetry/telemetry-message.js';

/** A device ID seen on the hub. Times are ISO 8601 UTC with milliseconds. */
export interface DiscoveredDevice {
  deviceId: string;
  /** Enqueued time of the latest message seen from this device. */
  lastSeen: string;
  /** Messages seen from this device since the gateway started (registered or not). */
  messageCount: number;
}

/** How many device IDs {@link DiscoveredDevices} keeps by default. */
export const DISCOVERED_DEVICES_LIMIT = 10_000;

/**
 * The device IDs seen on the hub while the consumer was open, for `GET /api/hub/devices`. Bounded: past
 * `limit` IDs, the one whose message arrived least recently is forgotten. `record` is O(1) (a `Map` kept in least-recently-seen order).
 */
export class DiscoveredDevices {
  private readonly devices = new Map<string, DiscoveredDevice>();

  /** @param limit how many device IDs to keep (≥ 1). */
  constructor(private readonly limit = DISCOVERED_DEVICES_LIMIT) {}

  /** Records one message read from the hub. */
  record(message: Pick<TelemetryMessage, 'deviceId' | 'enqueuedTime'>): void {
    const { deviceId, enqueuedTime } = message;
    const known = this.devices.get(deviceId);
    if (known) {
      if (enqueuedTime > known.lastSeen) known.lastSeen = enqueuedTime;
      known.messageCount += 1;
      // Move to the most recent end (a Map iterates in insertion order).
      this.devices.delete(deviceId);
      this.devices.set(deviceId, known);
      return;
    }
    this.devices.set(deviceId, { deviceId, lastSeen: enqueuedTime, messageCount: 1 });
    if (this.devices.size > this.limit) {
      const oldest = this.devices.keys().next();
      if (!oldest.done) this.devices.delete(oldest.value);
    }
  }

  /** Every device kept, the latest `lastSeen` first (partitions are read in parallel, so arrival order differs). */
  list(): DiscoveredDevice[] {
    return [...this.devices.values()]
      .map((d) => ({ ...d }))
      .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
  }
}
