import { NEVER, type Observable } from 'rxjs';
import { createRegistrationWriter, readRegistrations } from './registration-file.js';
import type { RegistrationChange, RegistrationStore, StoredRegistration } from './registration-store.js';

/**
 * The {@link RegistrationStore} of the memory engine: `<stateDir>/registrations.json`, rewritten atomically after each
 * change (see `registration-file.ts`), so registrations survive a restart while telemetry does not. One instance only.
 */
export class FileRegistrationStore implements RegistrationStore {
  private readonly writer;
  readonly changes$: Observable<RegistrationChange> = NEVER;

  /** @param registrations what {@link FileRegistrationStore.open} read, oldest first. */
  private constructor(stateDir: string, private readonly registrations: Map<string, StoredRegistration>) {
    this.writer = createRegistrationWriter(stateDir);
  }

  /**
   * Reads `<stateDir>/registrations.json` (a missing file is no registrations; `ignoreFile`: start empty, the next
   * change overwrites it).
   * @throws Error when the file exists but is not the expected JSON.
   */
  static async open(stateDir: string, options: { ignoreFile?: boolean } = {}): Promise<FileRegistrationStore> {
    const list = options.ignoreFile ? [] : await readRegistrations(stateDir);
    return new FileRegistrationStore(stateDir, new Map(list.map((r) => [r.deviceId, r])));
  }

  list(): Promise<StoredRegistration[]> {
    return Promise.resolve([...this.registrations.values()]);
  }

  put(registration: StoredRegistration): Promise<void> {
    this.registrations.set(registration.deviceId, { ...registration });
    return this.save();
  }

  delete(deviceId: string): Promise<void> {
    return this.registrations.delete(deviceId) ? this.save() : Promise.resolve();
  }

  recordActivity(): Promise<void> {
    return Promise.resolve();
  }

  activity(): Promise<Map<string, number>> {
    return Promise.resolve(new Map<string, number>());
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  private save(): Promise<void> {
    return this.writer.save([...this.registrations.values()]);
  }
}
