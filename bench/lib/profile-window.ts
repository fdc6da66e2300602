import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchChild } from './bench-child.js';
import type { BenchContext } from './bench-context.js';

/**
 * With `--profile` (`ctx.profileDir` set), starts a V8 CPU profile in the gateway child (bench/gateway-probe.ts) and
 * returns the function that stops it and writes `<profileDir>/<child name>.cpuprofile`; without, a no-op. Read the
 * file with `npx tsx bench/cpu-profile-summary.ts <file>` or Chrome DevTools.
 */
export async function profileWindow(ctx: BenchContext, gateway: BenchChild): Promise<() => Promise<void>> {
  const dir = ctx.profileDir;
  if (!dir) return () => Promise.resolve();
  await mkdir(dir, { recursive: true });
  await gateway.request('profileStart');
  return async () => {
    const file = join(dir, `${gateway.name}.cpuprofile`);
    await gateway.request('profileStop', file);
    ctx.log(`profile: ${file}`);
  };
}
