import type { Checkpoint } from '@azure/event-hubs';
import type { Database, Key } from 'lmdb';
import { NEVER, type Observable } from 'rxjs';
import { systemClock, type Clock } from '../../config/clock.js';
import { parsePosition, positionOf, type TelemetryMessage } from '../../telemetry/telemetry-message.js';
import type { HistoryQuery, ResumeResult, TelemetryStore } from '../telemetry-store.js';
import { EmbeddedCheckpointStore } from './embedded-checkpoint-store.js';
import { openEmbeddedDatabase, type DeviceRecord, type EmbeddedDatabase } from './embedded-database.js';
import { EmbeddedRegistrationStore } from './embedded-registration-store.js';

/** Removes every entry of `db` inside the caller's transaction. */
function removeAll<V, K extends Key>(db: Database<V, K>): void {
  for (const key of db.getKeys({})) void db.remove(key);
}

/** Above every message counter in the ordered keys. */
const TOP = Number.MAX_SAFE_INTEGER;

/**
 * The {@link TelemetryStore} in one lmdb database file (`<stateDir>/gateway.mdb`, see `embedded-database.ts`): a
 * batch's messages, the dedupe state and the batch's checkpoints are committed in one transaction, so after a crash
 * the consumer resumes right after the last committed message. RAM holds only each device's counters and highest
 * sequence number per partition; messages are read from the memory-mapped file. One process per file.
 */
export class EmbeddedTelemetryStore implements TelemetryStore {
  readonly checkpointStore: EmbeddedCheckpointStore;
  readonly registrations: EmbeddedRegistrationStore;
  readonly remote$: Observable<TelemetryMessage> = NEVER;
  private devices = new Map<string, DeviceRecord>();

  private constructor(private readonly db: EmbeddedDatabase, private readonly historyLimit: number, clock: Clock, hub: string | null) {
    this.checkpointStore = new EmbeddedCheckpointStore(db, clock);
    this.registrations = new EmbeddedRegistrationStore(db, hub);
    this.loadDevices();
  }

  /**
   * Opens (creating when missing) the database under `stateDir`.
   * @param historyLimit messages kept per device (`HISTORY_LIMIT`), ≥ 1.
   * @param options how long to wait for another process's lock to turn stale (ms), and what to do if ours is lost;
   *   `hub` (`<namespace host>/<event hub>`): whose registrations `registrations` holds (default none in particular).
   * @throws Error when another gateway process has the directory open, or from lmdb when the file cannot be opened.
   */
  static async open(
    stateDir: string,
    historyLimit: number,
    clock: Clock = systemClock,
    options: { waitMs?: number; onLost?: (error: Error) => void; hub?: string | null } = {},
  ): Promise<EmbeddedTelemetryStore> {
    return new EmbeddedTelemetryStore(await openEmbeddedDatabase(stateDir, options), historyLimit, clock, options.hub ?? null);
  }

  async append(messages: readonly TelemetryMessage[], checkpoints: readonly Checkpoint[]): Promise<TelemetryMessage[]> {
    try {
      return await this.db.root.transaction(() => {
        const touched = new Set<string>();
        const stored = messages.filter((m) => this.addInTransaction(m) && touched.add(m.deviceId));
        for (const deviceId of touched) void this.db.devices.put(deviceId, this.devices.get(deviceId) as DeviceRecord);
        this.checkpointStore.recordInTransaction(checkpoints);
        return stored;
      });
    } catch (error) {
      this.loadDevices(); // the counters moved inside a transaction that did not commit
      throw error;
    }
  }

  latest(deviceId: string): Promise<TelemetryMessage | undefined> {
    const [entry] = this.db.messages.getRange({ start: [deviceId, TOP], end: [deviceId, -1], reverse: true, limit: 1 });
    return Promise.resolve(entry?.value);
  }

  history(deviceId: string, query: HistoryQuery): Promise<TelemetryMessage[]> {
    const since = query.since === undefined ? -Infinity : Date.parse(query.since);
    const until = query.until === undefined ? Infinity : Date.parse(query.until);
    const found: TelemetryMessage[] = [];
    let held = 0;
    for (const { value } of this.db.messages.getRange({ start: [deviceId, TOP], end: [deviceId, -1], reverse: true })) {
      if (++held > this.historyLimit || found.length >= query.limit) break;
      const t = Date.parse(value.enqueuedTime);
      if (t > until) continue;
      if (t < since) break;
      found.push(value);
    }
    return Promise.resolve(found);
  }

  after(deviceId: string, position: string): Promise<ResumeResult> {
    const parsed = parsePosition(position);
    const counter = parsed && positionOf(parsed) === position
      ? this.db.positions.get([deviceId, parsed.partitionId, parsed.sequenceNumber])
      : undefined;
    const held = this.held(deviceId);
    if (counter === undefined || held.length === 0 || counter < held[0]!.counter) {
      return Promise.resolve({ found: false, messages: held.map((h) => h.message) });
    }
    return Promise.resolve({ found: true, messages: held.filter((h) => h.counter > counter).map((h) => h.message) });
  }

  async remove(deviceId: string): Promise<void> {
    await this.db.root.transaction(() => {
      for (const { key, value } of this.db.messages.getRange({ start: [deviceId, -1], end: [deviceId, TOP] })) {
        void this.db.positions.remove([deviceId, value.partitionId, value.sequenceNumber]);
        void this.db.messages.remove(key);
      }
      void this.db.devices.remove(deviceId);
      this.devices.delete(deviceId);
    });
  }

  /**
   * Forgets every message, the dedupe state, the checkpoints and the idle mark, keeping the registrations: for a hub
   * whose log is new (the demo's embedded emulator starts empty), where the stored positions and sequence numbers
   * name events that no longer exist and would hide the new ones as duplicates.
   */
  async forgetLog(): Promise<void> {
    await this.db.root.transaction(() => {
      removeAll(this.db.messages);
      removeAll(this.db.positions);
      removeAll(this.db.devices);
      removeAll(this.db.checkpoints);
      void this.db.meta.remove('idle');
      this.devices.clear();
    });
  }

  /** Waits for pending commits and closes the file. */
  async close(): Promise<void> {
    await this.db.root.close();
    await this.db.unlock();
  }

  /**
   * Stores one message in the current transaction unless it is a duplicate, evicting past the history limit; the
   * caller writes the device's record once per transaction.
   */
  private addInTransaction(message: TelemetryMessage): boolean {
    const { deviceId, partitionId, sequenceNumber } = message;
    let device = this.devices.get(deviceId);
    if (!device) this.devices.set(deviceId, (device = { first: 0, next: 0, last: {} }));
    const last = device.last[partitionId];
    if (last !== undefined && sequenceNumber <= last) return false;
    device.last[partitionId] = sequenceNumber;
    void this.db.messages.put([deviceId, device.next], message);
    void this.db.positions.put([deviceId, partitionId, sequenceNumber], device.next);
    device.next += 1;
    for (; device.next - device.first > this.historyLimit; device.first += 1) {
      const evicted = this.db.messages.get([deviceId, device.first]);
      if (evicted) void this.db.positions.remove([deviceId, evicted.partitionId, evicted.sequenceNumber]);
      void this.db.messages.remove([deviceId, device.first]);
    }
    return true;
  }

  /** The device's held messages with their counters, oldest first, at most `historyLimit`. */
  private held(deviceId: string): { counter: number; message: TelemetryMessage }[] {
    const newest = this.db.messages.getRange({ start: [deviceId, TOP], end: [deviceId, -1], reverse: true, limit: this.historyLimit });
    return Array.from(newest, ({ key, value }) => ({ counter: key[1], message: value })).reverse();
  }

  private loadDevices(): void {
    this.devices = new Map(Array.from(this.db.devices.getRange({}), ({ key, value }) => [key, value] as const));
  }
}
