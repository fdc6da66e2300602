import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredRegistration } from './registration-store.js';

/** File under `STATE_DIR` holding the registrations (JSON) when they belong to no hub in particular (earlier versions). */
export const REGISTRATIONS_FILE = 'registrations.json';

/**
 * The registrations file of one hub (`<namespace host>/<event hub>`): `registrations-<hub>.json`, characters other
 * than letters, digits, `.`, `_` and `-` as `_`; {@link REGISTRATIONS_FILE} without a hub.
 */
export function registrationsFile(hub: string | null): string {
  return hub === null ? REGISTRATIONS_FILE : `registrations-${hub.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/**
 * Reads the registrations saved in `<stateDir>/<file>` (default {@link REGISTRATIONS_FILE}).
 * @returns an empty list when the file does not exist.
 * @throws Error when the file exists but is not the expected JSON.
 */
export async function readRegistrations(stateDir: string, file = REGISTRATIONS_FILE): Promise<StoredRegistration[]> {
  let text: string;
  try {
    text = await readFile(join(stateDir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = JSON.parse(text) as { devices?: unknown };
  if (!Array.isArray(parsed.devices)) throw new Error(`${file}: no "devices" array`);
  return parsed.devices.filter(
    (d): d is StoredRegistration =>
      typeof d === 'object' && d !== null && typeof (d as StoredRegistration).deviceId === 'string' &&
      typeof (d as StoredRegistration).registeredAt === 'string',
  ).map(({ deviceId, registeredAt, units }) => (isUnits(units) ? { deviceId, registeredAt, units } : { deviceId, registeredAt }));
}

/** Whether a stored `units` value is a map of strings (a file edited by hand may hold anything). */
function isUnits(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((u) => typeof u === 'string');
}

/** Saves registrations; `flush` resolves once every save so far has finished. */
export interface RegistrationWriter {
  save(devices: StoredRegistration[]): Promise<void>;
  flush(): Promise<void>;
}

/**
 * Saves registrations atomically to `<stateDir>/<file>` (default {@link REGISTRATIONS_FILE}; write to a temporary
 * file, then rename), one write at a time. Saves made while a
 * write is waiting to start are coalesced: only the newest list is kept and written, and each of those saves resolves
 * once it is on disk. So a flood of registrations holds at most two lists (one being written, one waiting), not
 * one full copy of the registry per registration.
 */
export function createRegistrationWriter(stateDir: string, fileName = REGISTRATIONS_FILE): RegistrationWriter {
  let chain: Promise<void> = Promise.resolve();
  let newest: StoredRegistration[] = [];
  let waiting: Promise<void> | undefined;
  const write = async (devices: StoredRegistration[]) => {
    await mkdir(stateDir, { recursive: true });
    const file = join(stateDir, fileName);
    await writeFile(`${file}.tmp`, `${JSON.stringify({ devices }, null, 2)}\n`, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  };
  const save = (devices: StoredRegistration[]) => {
    newest = devices;
    waiting ??= chain = chain
      .catch(() => undefined)
      .then(() => {
        waiting = undefined;
        return write(newest);
      });
    return waiting;
  };
  return { save, flush: () => chain.catch(() => undefined) };
}
