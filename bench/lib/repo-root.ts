import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file), where child scripts and `src/server.ts` are resolved. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
