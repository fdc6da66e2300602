import { randomInt } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './env-schema.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Length of a generated API key, in characters. */
export const API_KEY_LENGTH = 24;

/** Shortest `API_KEY` accepted, in characters: below it a key can be guessed (the generated one has 24). */
export const API_KEY_MIN_LENGTH = 16;

/** Name of the file under `STATE_DIR` that keeps the generated key (mode 0600). */
export const API_KEY_FILE = 'api-key';

/** Where the key in force came from. */
export type ApiKeySource = 'env' | 'generated' | 'stored' | 'disabled';

/**
 * A fresh random API key: {@link API_KEY_LENGTH} characters from `[A-Za-z0-9]`, each drawn with `crypto.randomInt`
 * (uniform, CSPRNG; no modulo bias).
 */
export function generateApiKey(): string {
  let key = '';
  for (let i = 0; i < API_KEY_LENGTH; i += 1) key += ALPHABET[randomInt(ALPHABET.length)];
  return key;
}

/** True for hosts that only accept local connections (`127.0.0.0/8`, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Decides the API key in force:
 * `API_KEY` set → that key; set empty → authentication off (refused on a non-loopback host unless
 * `allowUnauthenticatedRemote`); unset → the key stored in `<stateDir>/api-key`, or a new generated one written there
 * with mode 0600.
 * @throws ConfigError when authentication is off on a non-loopback host without the opt-in, or `API_KEY` is shorter
 *   than {@link API_KEY_MIN_LENGTH}; fs errors when
 *   `stateDir` cannot be written.
 */
export async function resolveApiKey(options: {
  envValue: string | undefined;
  stateDir: string;
  host: string;
  allowUnauthenticatedRemote: boolean;
}): Promise<{ apiKey: string | null; source: ApiKeySource }> {
  const { envValue, stateDir, host, allowUnauthenticatedRemote } = options;
  if (envValue !== undefined && envValue.trim() === '') {
    if (!isLoopbackHost(host) && !allowUnauthenticatedRemote) {
      throw new ConfigError(
        `Invalid configuration API_KEY: empty (authentication off) is refused on the non-loopback HOST ${host}; ` +
          'set an API_KEY, or ALLOW_UNAUTHENTICATED_REMOTE=true if you really mean it.',
      );
    }
    return { apiKey: null, source: 'disabled' };
  }
  if (envValue !== undefined) {
    const apiKey = envValue.trim();
    if (apiKey.length < API_KEY_MIN_LENGTH) {
      throw new ConfigError(
        `Invalid configuration API_KEY: ${apiKey.length} characters is too short to resist guessing; use at least ` +
          `${API_KEY_MIN_LENGTH} (npm run generate-api-key makes a ${API_KEY_LENGTH}-character one).`,
      );
    }
    return { apiKey, source: 'env' };
  }
  const file = join(stateDir, API_KEY_FILE);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored) return { apiKey: stored, source: 'stored' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const apiKey = generateApiKey();
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, `${apiKey}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { apiKey, source: 'generated' };
}
