import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InMemoryRegistrationStore } from './in-memory-registration-store.js';
import { createRegistrationWriter, readRegistrations, REGISTRATIONS_FILE, registrationsFile } from './registration-file.js';
import type { StoredRegistration } from './registration-store.js';

/** Marks that the registrations of earlier versions (`registrations.json`) were taken over by one hub; holds its name. */
export const ADOPTED_FILE = 'registrations-adopted';

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * The {@link RegistrationStore} of the memory engine: one file per hub, `<stateDir>/registrations-<hub>.json`
 * (`registrations.json` without a hub), rewritten atomically after each change (see `registration-file.ts`), so
 * registrations survive a restart while telemetry does not, and one hub's never show on another. The first hub opened
 * without a file of its own takes over `registrations.json` (what earlier versions wrote; left in place), once: a mark
 * ({@link ADOPTED_FILE}) keeps the next hub from taking it too. One instance only.
 */
export class FileRegistrationStore extends InMemoryRegistrationStore {
  private readonly writer;

  private constructor(stateDir: string, file: string, initial: readonly StoredRegistration[]) {
    super(initial);
    this.writer = createRegistrationWriter(stateDir, file);
  }

  /**
   * Reads the file of `hub` (`<namespace host>/<event hub>`, default none; a missing file is no registrations, or
   * the adopted `registrations.json`; `ignoreFile`: start empty, the next change overwrites it).
   * @throws Error when the file exists but is not the expected JSON.
   */
  static async open(stateDir: string, options: { ignoreFile?: boolean; hub?: string | null } = {}): Promise<FileRegistrationStore> {
    const hub = options.hub ?? null;
    const file = registrationsFile(hub);
    if (options.ignoreFile) return new FileRegistrationStore(stateDir, file, []);
    const adopt = hub !== null && !(await exists(join(stateDir, file))) && !(await exists(join(stateDir, ADOPTED_FILE)));
    const store = new FileRegistrationStore(stateDir, file, await readRegistrations(stateDir, adopt ? REGISTRATIONS_FILE : file));
    if (adopt) {
      await store.save();
      await writeFile(join(stateDir, ADOPTED_FILE), `${hub}\n`, { mode: 0o600 });
    }
    return store;
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
