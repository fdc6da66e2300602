import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { FileRegistrationStore } from '../../../src/store/file-registration-store.js';
import { MemoryTelemetryStore } from '../../../src/store/memory-telemetry-store.js';
import { FakeClock } from '../../support/fake-clock.js';
import { describeTelemetryStoreContract } from './telemetry-store-contract.js';

// The memory engine as `STORE=memory` opens it: registrations in `<stateDir>/registrations.json`.
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const openOn = async (dir: string, historyLimit: number) =>
  new MemoryTelemetryStore(historyLimit, new FakeClock(), await FileRegistrationStore.open(dir));

describeTelemetryStoreContract(
  'memory',
  async (historyLimit) => {
    dirs.push(await mkdtemp(join(tmpdir(), 'gateway-memory-')));
    return openOn(dirs.at(-1) as string, historyLimit);
  },
  (historyLimit) => openOn(dirs.at(-1) as string, historyLimit),
);
