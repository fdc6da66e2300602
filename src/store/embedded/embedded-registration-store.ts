import { NEVER, type Observable } from 'rxjs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegistrations, REGISTRATIONS_FILE, registrationsFile } from '../registration-file.js';
import { copyRegistration, type RegistrationChange, type RegistrationStore, type StoredRegistration } from '../registration-store.js';
import type { EmbeddedDatabase } from './embedded-database.js';

/** What `meta` records of the one import of `registrations.json`. */
export interface RegistrationsImport {
  /** ISO 8601 UTC time of the import. */
  at: string;
  devices: number;
}

/** Separates a hub from a device ID in a registration's key (no device ID holds it). */
const HUB_SEPARATOR = '\u0000';

/**
 * The embedded engine's {@link RegistrationStore}: registrations in the database file, keyed `<hub>\0<deviceId>`
 * (`deviceId` alone without a hub, as earlier versions did), so one hub's never show on another. One instance: no
 * activity is shared and `changes$` never emits.
 */
export class EmbeddedRegistrationStore implements RegistrationStore {
  readonly changes$: Observable<RegistrationChange> = NEVER;
  /** The `order` the next new registration gets: registration order survives a restart (times tie within a ms). */
  private nextOrder: number;

  /** @param hub `<namespace host>/<event hub>` whose registrations these are; `null`: none in particular. */
  constructor(private readonly db: EmbeddedDatabase, private readonly hub: string | null = null) {
    let highest = -1;
    for (const { value } of db.registrations.getRange({})) highest = Math.max(highest, value.order ?? -1);
    this.nextOrder = highest + 1;
  }

  /**
   * Moves the registrations of no hub (earlier versions) to this hub, once per database: the first hub opened takes
   * them, and the move is recorded so no later hub does. Nothing without a hub.
   * @returns the number of registrations moved.
   */
  async adoptUnscoped(now: () => number): Promise<number> {
    if (this.hub === null || this.db.meta.get('registrations-adopted') !== undefined) return 0;
    const hub = this.hub;
    return this.db.root.transaction(() => {
      let moved = 0;
      for (const { key, value } of this.db.registrations.getRange({})) {
        if (key.includes(HUB_SEPARATOR)) continue;
        void this.db.registrations.put(`${hub}${HUB_SEPARATOR}${key}`, value);
        void this.db.registrations.remove(key);
        moved += 1;
      }
      void this.db.meta.put('registrations-adopted', { hub, at: new Date(now()).toISOString(), devices: moved });
      return moved;
    });
  }

  /**
   * Carries over what the memory engine wrote, once: this hub's `registrations-<hub>.json`, or else
   * `registrations.json` (earlier versions), into this hub's registrations. When the database has no record of an import, its registrations are stored and the import is recorded, in one
   * transaction; the file is left in place and never read again.
   * @returns the number of registrations imported, or `undefined` when an import was already recorded.
   * @throws Error when the file exists but is not the expected JSON (nothing is recorded; the next open tries again).
   */
  async importFileOnce(stateDir: string, now: () => number): Promise<number | undefined> {
    if (this.db.meta.get('registrations-imported') !== undefined) return undefined;
    const own = registrationsFile(this.hub);
    const file = (await access(join(stateDir, own)).then(() => true, () => false)) ? own : REGISTRATIONS_FILE;
    const devices = await readRegistrations(stateDir, file);
    const record: RegistrationsImport = { at: new Date(now()).toISOString(), devices: devices.length };
    await this.db.root.transaction(() => {
      for (const d of devices) {
        if (this.db.registrations.get(this.key(d.deviceId)) === undefined) void this.db.registrations.put(this.key(d.deviceId), { ...copyRegistration(d), order: this.nextOrder++ });
      }
      void this.db.meta.put('registrations-imported', { ...record, file });
    });
    return devices.length;
  }

  /** In registration order (a replaced registration keeps its place). */
  list(): Promise<StoredRegistration[]> {
    const all = Array.from(this.db.registrations.getRange({}), ({ key, value }) => ({ key, value }))
      .filter(({ key }) => (this.hub === null ? !key.includes(HUB_SEPARATOR) : key.startsWith(`${this.hub}${HUB_SEPARATOR}`)))
      .map(({ value }) => value);
    all.sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || (a.registeredAt < b.registeredAt ? -1 : a.registeredAt > b.registeredAt ? 1 : 0));
    return Promise.resolve(all.map(copyRegistration));
  }

  async put(registration: StoredRegistration): Promise<void> {
    const key = this.key(registration.deviceId);
    const order = this.db.registrations.get(key)?.order ?? this.nextOrder++;
    await this.db.registrations.put(key, { ...copyRegistration(registration), order });
  }

  async delete(deviceId: string): Promise<void> {
    await this.db.registrations.remove(this.key(deviceId));
  }

  recordActivity(): Promise<void> {
    return Promise.resolve();
  }

  activity(): Promise<Map<string, number>> {
    return Promise.resolve(new Map<string, number>());
  }

  private key(deviceId: string): string {
    return this.hub === null ? deviceId : `${this.hub}${HUB_SEPARATOR}${deviceId}`;
  }
}
