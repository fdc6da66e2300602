import type { Checkpoint } from '@azure/event-hubs';
import { NEVER, type Observable } from 'rxjs';
import { systemClock, type Clock } from '../config/clock.js';
import { positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';
import { MemoryCheckpointStore } from './memory-checkpoint-store.js';
import { InMemoryRegistrationStore } from './in-memory-registration-store.js';
import type { RegistrationStore } from './registration-store.js';
import type { HistoryQuery, ResumeResult, TelemetryStore } from './telemetry-store.js';

interface DeviceHistory {
  /** Oldest first; at most `limit` + a trim margin entries (see `append`). */
  items: TelemetryMessage[];
  /** Highest stored sequence number per partition: anything at or below it is a duplicate. */
  lastSequence: Map<string, number>;
}

const time = (m: TelemetryMessage): number => Date.parse(m.enqueuedTime);

/**
 * The {@link TelemetryStore} in one process's memory: fast, and everything is lost on restart.
 * Sequence numbers grow within a partition (Event Hubs), so an event at or below the highest stored one of its device
 * and partition was already stored (a redelivery after a reconnect).
 */
export class MemoryTelemetryStore implements TelemetryStore {
  private readonly devices = new Map<string, DeviceHistory>();
  readonly checkpointStore: MemoryCheckpointStore;
  readonly remote$: Observable<TelemetryMessage> = NEVER;

  /**
   * @param historyLimit messages kept per device (`HISTORY_LIMIT`), ≥ 1.
   * @param clock source of ownership times (default the system clock).
   * @param registrations where registrations are kept (the memory engine uses `registrations.json` in `STATE_DIR`);
   *   default: in memory too.
   */
  constructor(
    private readonly historyLimit: number,
    clock: Clock = systemClock,
    readonly registrations: RegistrationStore & { flush?(): Promise<void> } = new InMemoryRegistrationStore(),
  ) {
    this.checkpointStore = new MemoryCheckpointStore(clock);
  }

  append(messages: readonly TelemetryMessage[], checkpoints: readonly Checkpoint[]): Promise<TelemetryMessage[]> {
    const stored: TelemetryMessage[] = [];
    for (const message of messages) if (this.add(message)) stored.push(message);
    this.checkpointStore.record(checkpoints);
    return Promise.resolve(stored);
  }

  latest(deviceId: string): Promise<TelemetryMessage | undefined> {
    return Promise.resolve(this.devices.get(deviceId)?.items.at(-1));
  }

  history(deviceId: string, query: HistoryQuery): Promise<TelemetryMessage[]> {
    const items = this.held(deviceId);
    const since = query.since === undefined ? -Infinity : Date.parse(query.since);
    const until = query.until === undefined ? Infinity : Date.parse(query.until);
    const found: TelemetryMessage[] = [];
    for (let i = items.length - 1; i >= 0 && found.length < query.limit; i -= 1) {
      const message = items[i] as TelemetryMessage;
      const t = time(message);
      if (t > until) continue;
      if (t < since) break;
      found.push(message);
    }
    return Promise.resolve(found);
  }

  after(deviceId: string, position: string): Promise<ResumeResult> {
    const items = this.held(deviceId);
    const index = items.findIndex((m) => positionOf(m) === position);
    return Promise.resolve(index < 0 ? { found: false, messages: [...items] } : { found: true, messages: items.slice(index + 1) });
  }

  remove(deviceId: string): Promise<void> {
    this.devices.delete(deviceId);
    return Promise.resolve();
  }

  /** Waits for pending registration writes. */
  async close(): Promise<void> {
    await this.registrations.flush?.();
  }

  private add(message: TelemetryMessage): boolean {
    let device = this.devices.get(message.deviceId);
    if (!device) this.devices.set(message.deviceId, (device = { items: [], lastSequence: new Map() }));
    const last = device.lastSequence.get(message.partitionId);
    if (last !== undefined && message.sequenceNumber <= last) return false;
    device.lastSequence.set(message.partitionId, message.sequenceNumber);
    device.items.push(message);
    // Amortised eviction: trim in chunks so a full history does not shift the array on every message.
    if (device.items.length > this.historyLimit + Math.max(16, this.historyLimit >> 3)) {
      device.items.splice(0, device.items.length - this.historyLimit);
    }
    return true;
  }

  /** The history held for a device, oldest first, at most `historyLimit`. */
  private held(deviceId: string): readonly TelemetryMessage[] {
    const items = this.devices.get(deviceId)?.items ?? [];
    return items.length > this.historyLimit ? items.slice(items.length - this.historyLimit) : items;
  }
}
