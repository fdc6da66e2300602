import { execFileSync } from 'node:child_process';

/** Vitest global setup: builds `client/dist` (incremental `tsc -b client`), which the gateway serves at /vendor/client/. */
export default function buildClient(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'client'], { stdio: 'inherit' });
}
