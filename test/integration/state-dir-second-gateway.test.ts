import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { removeDir, startGateway, tempStateDir, testConfig, type RunningGateway } from './support/gateway.js';

describe('a second gateway on the same STATE_DIR', () => {
  let emulator: Emulator | undefined;
  let first: RunningGateway | undefined;
  const dir = tempStateDir();
  afterEach(async () => {
    await first?.close();
    await emulator?.close();
    removeDir(dir);
  });

  it('waits for the lock and then refuses to start with the lock\'s own message, not a plugin timeout', async () => {
    emulator = await startEmulator({ partitions: 1 });
    const config = testConfig({ connectionString: emulator.connectionString, store: 'embedded', stateDir: dir, logLevel: 'warn' });
    first = await startGateway(config);
    const started = Date.now();
    await expect(startGateway(config)).rejects.toThrow(`another gateway process uses ${dir}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(14_000);
  }, 45_000);
});
