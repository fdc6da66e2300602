import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The Blob service of the dev dependency `azurite` (3.35.0, the last release that runs on Node 20). */
const AZURITE_BLOB = resolve('node_modules/.bin/azurite-blob');

/** Azurite's well-known development account (documented by Azurite; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
/** The development account's well-known key. */
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A connection string for the development account at a Blob endpoint (`http://127.0.0.1:<port>/devstoreaccount1`). */
export function devConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;
}

/** A real Azurite Blob service child process on 127.0.0.1. */
export interface Azurite {
  port: number;
  /** {@link devConnectionString} of this instance. */
  connectionString: string;
  /** Everything Azurite wrote so far. */
  output(): string;
  /** SIGKILL, then waits for the exit and removes the workspace (idempotent). */
  stop(): Promise<void>;
}

export { freePort } from './free-port.js';
import { freePort } from './free-port.js';
import { startServerProcess } from './server-process.js';

/** Whether the Blob service answers HTTP on `port` (any status: an unauthenticated GET gets 400/403). */
async function answers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/${DEV_ACCOUNT}?comp=list`, { signal: AbortSignal.timeout(500) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts Azurite's Blob service on a free port of 127.0.0.1 (in-memory persistence, run in a temporary directory that
 * is removed after, `--disableTelemetry` so it never calls Application Insights, `--skipApiVersionCheck` for newer SDK
 * API versions, `--silent`), and waits at most `timeoutMs` (default 15 s) until it answers HTTP.
 * @throws Error with Azurite's output when it exits or does not answer in time.
 */
export async function startAzurite(options: { timeoutMs?: number } = {}): Promise<Azurite> {
  const dir = mkdtempSync(join(tmpdir(), 'azurite-test-'));
  const port = await freePort();
  const args = ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence',
    '--disableTelemetry', '--skipApiVersionCheck', '--silent'];
  const server = await startServerProcess({
    name: `Azurite on port ${port}`, command: AZURITE_BLOB, args, dir, cwd: dir,
    ready: () => answers(port), timeoutMs: options.timeoutMs ?? 15_000, pollMs: 100,
  });
  return { port, connectionString: devConnectionString(port), output: server.output, stop: server.stop };
}
