import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { skipWithoutRedis, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { eventually } from './support/eventually.js';
import { captureLogger, removeDir, startGateway, storedHistory, testConfig, type RunningGateway } from './support/gateway.js';
import { logMessages, register } from './support/helpers.js';

const PASSWORD = 'redis-secret-42';

describe.skipIf(skipWithoutRedis)('STORE=redis in the gateway', () => {
  let server: RedisServer;
  let emulator: Emulator;
  let gw: RunningGateway | undefined;
  beforeAll(async () => {
    server = await startRedisServer({ password: PASSWORD });
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });
  afterAll(async () => {
    await emulator?.close();
    await server?.stop();
  });

  const config = () => testConfig({ connectionString: emulator.connectionString, store: 'redis', redisUrl: `redis://127.0.0.1:${server.port}`, redisPassword: PASSWORD });

  it('keeps registrations, history and checkpoints across a restart on another state directory', async () => {
    gw = await startGateway(config());
    expect((await register(gw, 'kept')).status).toBe(202);
    await eventually(() => expect(gw?.app.registry.get('kept')?.status).toBe('registered'), { timeoutMs: 20_000 });
    const sent: number[] = [];
    for (let i = 0; i < 5; i += 1) sent.push((await emulator.send('kept', JSON.stringify({ i }))).sequenceNumber);
    await eventually(async () => expect((await storedHistory(gw!.app, 'kept')).map((m) => m.sequenceNumber)).toEqual(sent));
    await gw.close();
    removeDir(gw.config.stateDir);
    for (let i = 5; i < 8; i += 1) sent.push((await emulator.send('kept', JSON.stringify({ i }))).sequenceNumber);
    gw = await startGateway(config());
    expect(gw.app.registry.get('kept')).toBeDefined();
    // The checkpoint wins over START_POSITION=latest: what was sent while no gateway ran is read, nothing twice.
    await eventually(async () => expect((await storedHistory(gw!.app, 'kept')).map((m) => m.sequenceNumber)).toEqual(sent));
    expect(logMessages(gw).join('\n')).not.toContain(PASSWORD);
  });

  it('refuses to start with a clear error, without the password, when Redis is unreachable', async () => {
    const { logger, lines } = captureLogger();
    const app = buildApp(testConfig({ store: 'redis', redisUrl: `redis://:${PASSWORD}@127.0.0.1:1` }), { logger });
    await expect(app.ready()).rejects.toThrow('Redis at redis://:***@127.0.0.1:1 did not accept the connection within 5000 ms: connect ECONNREFUSED 127.0.0.1:1');
    await app.close().catch(() => undefined);
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });

  it('logs a lost connection once per connection, with the password redacted, while it keeps reconnecting', async () => {
    const own = await startRedisServer({ password: PASSWORD });
    try {
      gw = await startGateway(testConfig({ store: 'redis', redisUrl: own.url }));
      expect((await register(gw, 'before-loss')).status).toBe(202);
      await own.stop();
      await eventually(() => expect(logMessages(gw!).some((m) => m.startsWith(`redis (commands) at redis://:***@127.0.0.1:${own.port}: connect ECONNREFUSED`))).toBe(true));
      // A listener on the dead server's port counts the reconnect attempts (and cuts each): after two per
      // connection there is still one line per connection.
      let attempts = 0;
      const refuser = createServer((socket) => {
        attempts += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => refuser.listen(own.port, '127.0.0.1', resolve));
      try {
        await eventually(() => expect(attempts).toBeGreaterThanOrEqual(4), { timeoutMs: 15_000 });
      } finally {
        await new Promise((resolve) => refuser.close(resolve));
      }
      const redisLines = logMessages(gw).filter((m) => m.startsWith('redis ('));
      expect(redisLines.join('\n')).not.toContain(PASSWORD);
      expect(redisLines.filter((m) => m.startsWith('redis (commands)'))).toHaveLength(1);
      expect(redisLines.filter((m) => m.startsWith('redis (subscriber)'))).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });
});
