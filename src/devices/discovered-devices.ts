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

/** One kept device, linked in least-recently-seen order. */
class SeenNode implements DiscoveredDevice {
  older: SeenNode | undefined;
  newer: SeenNode | undefined;
  messageCount = 1;
  constructor(readonly deviceId: string, public lastSeen: string) {}
}

/**
 * The device IDs seen on the hub while the consumer was open, for `GET /api/hub/devices`. Bounded: past
 * `limit` IDs, the one whose message arrived least recently is forgotten. `record` is O(1): one `Map` lookup, and
 * the device moved to the recent end of a linked list (no `Map` delete and insert per message).
 */
export class DiscoveredDevices {
  private readonly devices = new Map<string, SeenNode>();
  private oldest: SeenNode | undefined;
  private newest: SeenNode | undefined;

  /** @param limit how many device IDs to keep (≥ 1). */
  constructor(private readonly limit = DISCOVERED_DEVICES_LIMIT) {}

  /** Records one message read from the hub. */
  record(message: Pick<TelemetryMessage, 'deviceId' | 'enqueuedTime'>): void {
    const { deviceId, enqueuedTime } = message;
    const known = this.devices.get(deviceId);
    if (known) {
      if (enqueuedTime > known.lastSeen) known.lastSeen = enqueuedTime;
      known.messageCount += 1;
      if (known !== this.newest) {
        this.unlink(known);
        this.append(known);
      }
      return;
    }
    const node = new SeenNode(deviceId, enqueuedTime);
    this.devices.set(deviceId, node);
    this.append(node);
    if (this.devices.size > this.limit && this.oldest) {
      const oldest = this.oldest;
      this.unlink(oldest);
      this.devices.delete(oldest.deviceId);
    }
  }

  /** Every device kept, the latest `lastSeen` first (partitions are read in parallel, so arrival order differs). */
  list(): DiscoveredDevice[] {
    return [...this.devices.values()]
      .map(({ deviceId, lastSeen, messageCount }) => ({ deviceId, lastSeen, messageCount }))
      .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
  }

  private unlink(node: SeenNode): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = undefined;
    node.newer = undefined;
  }

  private append(node: SeenNode): void {
    node.older = this.newest;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }
}
