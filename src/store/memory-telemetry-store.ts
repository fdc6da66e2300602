import type { Checkpoint } from '@azure/event-hubs';
import { NEVER, type Observable } from 'rxjs';
import { systemClock, type Clock } from '../config/clock.js';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';
import { CompactHistory } from './compact-history.js';
import { MemoryCheckpointStore } from './memory-checkpoint-store.js';
import { InMemoryRegistrationStore } from './in-memory-registration-store.js';
import type { RegistrationStore } from './registration-store.js';
import type { HistoryQuery, ResumeResult, TelemetryStore } from './telemetry-store.js';

interface DeviceHistory {
  /** Oldest first; at most `limit` messages, packed (see `CompactHistory`). */
  messages: CompactHistory;
  /** Highest stored sequence number per partition: anything at or below it is a duplicate. */
  lastSequence: Map<string, number>;
}

/**
 * The {@link TelemetryStore} in one process's memory: fast, and everything is lost on restart. Each device's history
 * is kept compact (`CompactHistory`): the latest message as stored, the older ones packed and rebuilt when read.
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
    return Promise.resolve(this.devices.get(deviceId)?.messages.latest);
  }

  history(deviceId: string, query: HistoryQuery): Promise<TelemetryMessage[]> {
    const found: TelemetryMessage[] = [];
    const messages = this.devices.get(deviceId)?.messages;
    if (!messages) return Promise.resolve(found);
    const since = query.since === undefined ? -Infinity : Date.parse(query.since);
    const until = query.until === undefined ? Infinity : Date.parse(query.until);
    for (let i = messages.size - 1; i >= 0 && found.length < query.limit; i -= 1) {
      const t = messages.timeAt(i);
      if (t > until) continue;
      if (t < since) break;
      found.push(messages.at(i));
    }
    return Promise.resolve(found);
  }

  after(deviceId: string, position: string): Promise<ResumeResult> {
    const messages = this.devices.get(deviceId)?.messages;
    if (!messages) return Promise.resolve({ found: false, messages: [] });
    const index = messages.indexOf(position);
    return Promise.resolve(index < 0 ? { found: false, messages: messages.from(0) } : { found: true, messages: messages.from(index + 1) });
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
    if (!device) {
      device = { messages: new CompactHistory(message.deviceId, this.historyLimit), lastSequence: new Map() };
      this.devices.set(message.deviceId, device);
    }
    const last = device.lastSequence.get(message.partitionId);
    if (last !== undefined && message.sequenceNumber <= last) return false;
    device.lastSequence.set(message.partitionId, message.sequenceNumber);
    device.messages.push(message);
    return true;
  }
}
