/**
 * Preloaded into the gateway process by the bench (`node --expose-gc --import ./bench/gateway-probe-preload.mjs
 * dist/server.js`) so the runner can measure without a hook in `src/`: answers the built-in `usage` command (memory
 * after a full GC, CPU) and `profileStart` / `profileStop` (a V8 CPU profile of just the measurement window, through
 * `node:inspector`, written as a `.cpuprofile` file). The IPC channel is unref'd: the gateway still exits by itself.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { serveIpc } from './lib/ipc-child.js';

let session: Session | undefined;

async function profileStart(): Promise<void> {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}

/** Stops the profile started by `profileStart` and writes it to `file`. */
async function profileStop(file: string): Promise<void> {
  if (!session) throw new Error('no profile running');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  await writeFile(file, JSON.stringify(profile));
}

if (process.send) {
  serveIpc({ probe: 'gateway' }, { profileStart: () => profileStart(), profileStop: (file: string) => profileStop(file) }, undefined, { unref: true });
}
