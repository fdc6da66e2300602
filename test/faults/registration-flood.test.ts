import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistrationWriter, REGISTRATIONS_FILE } from '../../src/store/registration-file.js';
import type { StoredRegistration } from '../../src/store/registration-store.js';
import { removeDir, startGateway, tempStateDir, testConfig, type RunningGateway } from '../integration/support/gateway.js';

const stored = (dir: string) => (JSON.parse(readFileSync(join(dir, REGISTRATIONS_FILE), 'utf8')) as { devices: StoredRegistration[] }).devices;
const devices = (n: number): StoredRegistration[] =>
  Array.from({ length: n }, (_, i) => ({ deviceId: `flood-${i}`, registeredAt: '2026-01-01T00:00:00.000Z' }));

describe('a registration flood does not queue one full copy of the registry per registration', () => {
  let gw: RunningGateway | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  it('saves made while a write is pending are coalesced: the first save to resolve has written the newest list', async () => {
    const dir = tempStateDir();
    dirs.push(dir);
    const writer = createRegistrationWriter(dir);
    const saves = Array.from({ length: 1000 }, (_, i) => writer.save(devices(i + 1)));
    await saves[0];
    expect(stored(dir).length).toBe(1000);
    await Promise.all(saves);
    await writer.save(devices(3));
    expect(stored(dir).length).toBe(3);
  });

  it('2,000 registrations over HTTP, 50 at a time, are all in STATE_DIR after close', async () => {
    gw = await startGateway(testConfig());
    for (let i = 0; i < 2000; i += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, j) =>
        gw!.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: `flood-${i + j}` }) })));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(202));
    }
    await gw.close();
    expect(stored(gw.config.stateDir).length).toBe(2000);
  });
});
