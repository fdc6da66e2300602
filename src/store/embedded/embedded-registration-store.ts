import { NEVER, type Observable } from 'rxjs';
import { readRegistrations, REGISTRATIONS_FILE } from '../registration-file.js';
import { copyRegistration, type RegistrationChange, type RegistrationStore, type StoredRegistration } from '../registration-store.js';
import type { EmbeddedDatabase } from './embedded-database.js';

/** What `meta` records of the one import of `registrations.json`. */
export interface RegistrationsImport {
  /** ISO 8601 UTC time of the import. */
  at: string;
  devices: number;
}

/**
 * The embedded engine's {@link RegistrationStore}: registrations in the database file. One instance: no activity is
 * shared and `changes$` never emits.
 */
export class EmbeddedRegistrationStore implements RegistrationStore {
  readonly changes$: Observable<RegistrationChange> = NEVER;
  /** The `order` the next new registration gets: registration order survives a restart (times tie within a ms). */
  private nextOrder: number;

  constructor(private readonly db: EmbeddedDatabase) {
    let highest = -1;
    for (const { value } of db.registrations.getRange({})) highest = Math.max(highest, value.order ?? -1);
    this.nextOrder = highest + 1;
  }

  /**
   * Carries over `<stateDir>/registrations.json` (what the memory engine and earlier versions write) once: when the
   * database has no record of an import, its registrations are stored and the import is recorded, in one
   * transaction; the file is left in place and never read again.
   * @returns the number of registrations imported, or `undefined` when an import was already recorded.
   * @throws Error when the file exists but is not the expected JSON (nothing is recorded; the next open tries again).
   */
  async importFileOnce(stateDir: string, now: () => number): Promise<number | undefined> {
    if (this.db.meta.get('registrations-imported') !== undefined) return undefined;
    const devices = await readRegistrations(stateDir);
    const record: RegistrationsImport = { at: new Date(now()).toISOString(), devices: devices.length };
    await this.db.root.transaction(() => {
      for (const d of devices) {
        if (this.db.registrations.get(d.deviceId) === undefined) void this.db.registrations.put(d.deviceId, { ...copyRegistration(d), order: this.nextOrder++ });
      }
      void this.db.meta.put('registrations-imported', { ...record, file: REGISTRATIONS_FILE });
    });
    return devices.length;
  }

  /** In registration order (a replaced registration keeps its place). */
  list(): Promise<StoredRegistration[]> {
    const all = Array.from(this.db.registrations.getRange({}), ({ value }) => value);
    all.sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || (a.registeredAt < b.registeredAt ? -1 : a.registeredAt > b.registeredAt ? 1 : 0));
    return Promise.resolve(all.map(copyRegistration));
  }

  async put(registration: StoredRegistration): Promise<void> {
    const order = this.db.registrations.get(registration.deviceId)?.order ?? this.nextOrder++;
    await this.db.registrations.put(registration.deviceId, { ...copyRegistration(registration), order });
  }

  async delete(deviceId: string): Promise<void> {
    await this.db.registrations.remove(deviceId);
  }

  recordActivity(): Promise<void> {
    return Promise.resolve();
  }

  activity(): Promise<Map<string, number>> {
    return Promise.resolve(new Map<string, number>());
  }
}
