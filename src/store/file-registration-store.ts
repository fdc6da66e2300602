import { InMemoryRegistrationStore } from './in-memory-registration-store.js';
import { createRegistrationWriter, readRegistrations } from './registration-file.js';
import type { StoredRegistration } from './registration-store.js';

/**
 * The {@link RegistrationStore} of the memory engine: `<stateDir>/registrations.json`, rewritten atomically after each
 * change (see `registration-file.ts`), so registrations survive a restart while telemetry does not. One instance only.
 */
export class FileRegistrationStore extends InMemoryRegistrationStore {
  private readonly writer;

  private constructor(stateDir: string, initial: readonly StoredRegistration[]) {
    super(initial);
    this.writer = createRegistrationWriter(stateDir);
  }

  /**
   * Reads `<stateDir>/registrations.json` (a missing file is no registrations; `ignoreFile`: start empty, the next
   * change overwrites it).
   * @throws Error when the file exists but is not the expected JSON.
   */
  static async open(stateDir: string, options: { ignoreFile?: boolean } = {}): Promise<FileRegistrationStore> {
    return new FileRegistrationStore(stateDir, options.ignoreFile ? [] : await readRegistrations(stateDir));
  }

  override async put(registration: StoredRegistration): Promise<void> {
    await super.put(registration);
    return this.save();
  }

  override async delete(deviceId: string): Promise<void> {
    if (!this.registrations.has(deviceId)) return;
    await super.delete(deviceId);
    return this.save();
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  private save(): Promise<void> {
    return this.writer.save([...this.registrations.values()]);
  }
}
