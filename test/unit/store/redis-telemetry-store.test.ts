import { afterAll, beforeAll, describe } from 'vitest';
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
});
