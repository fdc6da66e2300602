import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../../src/store/redis/open-redis-store.js';
import { FakeClock } from '../../support/fake-clock.js';
import { skipWithoutRedis, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { describeTelemetryStoreContract } from './telemetry-store-contract.js';

const quiet = { info: () => undefined, warn: () => undefined };
let server: RedisServer;
let run = 0;

describe.skipIf(skipWithoutRedis)('redis engine', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  // A fresh key prefix per store: every test starts from an empty Redis namespace.
  const open = (historyLimit: number) =>
    openRedisStore({ url: server.url, password: null, historyLimit, clock: new FakeClock(), logger: quiet, keyPrefix: `t${run}:` });
  describeTelemetryStoreContract('redis', (historyLimit) => ((run += 1), open(historyLimit)), open);

  it('keeps registrations per hub, the first hub taking over those of no hub in particular', async () => {
    const prefix = `hubs${(run += 1)}:`;
    const at = (hub: string | null) =>
      openRedisStore({ url: server.url, password: null, historyLimit: 5, clock: new FakeClock(), logger: quiet, keyPrefix: prefix, hub });
    const before = await at(null);
    await before.registrations.put({ deviceId: 'old', registeredAt: '2026-01-01T00:00:00.000Z', units: { v: 'V' } });
    await before.close();
    const a = await at('ns/hub-a');
    expect(await a.registrations.list()).toEqual([{ deviceId: 'old', registeredAt: '2026-01-01T00:00:00.000Z', units: { v: 'V' } }]);
    const b = await at('ns/hub-b');
    expect(await b.registrations.list()).toEqual([]);
    await b.registrations.put({ deviceId: 'mine', registeredAt: '2026-01-01T00:00:01.000Z' });
    expect((await a.registrations.list()).map((r) => r.deviceId)).toEqual(['old']);
    await a.close();
    await b.close();
  });
});
