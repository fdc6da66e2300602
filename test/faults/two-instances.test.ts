import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { Partitioner } from '../../src/emulator/partitioner.js';
import { WsClient } from '../integration/live-clients.js';
import { eventually } from '../integration/support/eventually.js';
import { json, removeDir, tempStateDir, TEST_API_KEY } from '../integration/support/gateway.js';
import { skipWithoutRedis, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startGatewayChild, type GatewayChild } from './support/gateway-child.js';

const EXPIRY_S = 4;
const CLAIM_S = 1;

/** Owner ID per partition, as the SDK's load balancer stored it in Redis. */
async function owners(redis: Redis): Promise<Map<string, string>> {
  const [key] = await redis.keys('gw:own:*');
  const stored = key ? await redis.hgetall(key) : {};
  return new Map(Object.entries(stored).map(([partition, ownership]) => [partition, (JSON.parse(ownership) as { ownerId: string }).ownerId]));
}

const partitionsOf = (map: Map<string, string>, owner: string) => [...map].filter(([, o]) => o === owner).map(([p]) => p).sort();

describe.skipIf(skipWithoutRedis)('two gateway instances sharing Redis and the hub', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let emulator: Emulator;
  const dirs: string[] = [];
  const children: GatewayChild[] = [];
  let ws: WsClient | undefined;

  async function gateway(): Promise<GatewayChild> {
    const dir = tempStateDir();
    dirs.push(dir);
    const child = await startGatewayChild(dir, {
      EVENTHUB_CONNECTION_STRING: emulator.connectionString, API_KEY: TEST_API_KEY, STORE: 'redis', REDIS_URL: redisServer.url,
      START_POSITION: 'earliest', HISTORY_LIMIT: '5000', LOG_LEVEL: 'warn',
      PARTITION_OWNERSHIP_EXPIRY: String(EXPIRY_S), PARTITION_CLAIM_INTERVAL: String(CLAIM_S),
    });
    children.push(child);
    return child;
  }

  const api = (g: GatewayChild, path: string, init: RequestInit = {}) =>
    json(fetch(`${g.url}${path}`, { ...init, headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } }));
  const history = async (g: GatewayChild, deviceId: string) =>
    ((await api(g, `/api/devices/${deviceId}/telemetry?limit=5000`)).body.items ?? []).map((m) => m.sequenceNumber).reverse();

  const latest = async (g: GatewayChild, deviceId: string) => {
    const { deviceId: id, timestamp, n } = (await api(g, `/api/telemetry?deviceId=${deviceId}`)).body;
    return { deviceId: id, timestamp, n };
  };

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url, { commandTimeout: 2000 });
    emulator = await startEmulator({ partitions: 4 });
  });
  afterAll(async () => {
    ws?.socket.close();
    await Promise.all(children.map((c) => c.kill()));
    redis?.disconnect();
    await emulator?.close();
    await redisServer?.stop();
    for (const dir of dirs) removeDir(dir);
  });

  it('share the partitions, fan out across instances, and hand a killed instance’s partitions over without gap or duplicate', async () => {
    const a = await gateway();
    // The consumer opens once a device is watched: one device per partition, registered on A.
    const partitioner = new Partitioner(4);
    const deviceOf = new Map<string, string>();
    for (let i = 0; deviceOf.size < 4; i += 1) if (!deviceOf.has(String(partitioner.indexOf(`meter-${i}`)))) deviceOf.set(String(partitioner.indexOf(`meter-${i}`)), `meter-${i}`);
    for (const id of deviceOf.values()) expect((await api(a, '/api/register-device', { method: 'POST', body: JSON.stringify({ deviceId: id }) })).status).toBe(202);
    const aOwner = await eventually(async () => {
      const map = await owners(redis);
      expect(map.size).toBe(4);
      expect(new Set(map.values()).size).toBe(1);
      return [...map.values()][0] as string;
    }, { timeoutMs: 20_000, intervalMs: 100 });
    let b = await gateway();
    const bOwner = await eventually(async () => {
      const map = await owners(redis);
      expect(partitionsOf(map, aOwner)).toHaveLength(2);
      return [...map.values()].find((o) => o !== aOwner) as string;
    }, { timeoutMs: 20_000, intervalMs: 100 });
    const bPartitions = partitionsOf(await owners(redis), bOwner);
    expect(bPartitions).toHaveLength(2);

    // A device whose partition B owns, registered on A (B heard of it through Redis).
    const deviceId = deviceOf.get(bPartitions[0] as string) as string;
    await eventually(async () => expect((await api(b, '/api/devices')).body.devices?.map((d) => d.deviceId)).toContain(deviceId));
    ws = await WsClient.connect(`${a.url.replace('http', 'ws')}/api/ws?api_key=${TEST_API_KEY}`);
    ws.send({ type: 'subscribe', deviceIds: [deviceId] });
    await ws.waitFor((m) => m.type === 'subscribed');

    const sent: number[] = [];
    const sendSome = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        sent.push((await emulator.send(deviceId, JSON.stringify({ n: sent.length }))).sequenceNumber);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const received = () => ws!.ofType('telemetry').map((m) => Number(String(m.position).split(':')[1]));

    // B ingests; A's client gets every message through Redis; both answer the same from Redis.
    await sendSome(40);
    await eventually(() => expect(received()).toEqual(sent), { timeoutMs: 10_000 });
    expect(await latest(a, deviceId)).toEqual({ deviceId, n: 39, timestamp: expect.any(String) as string });
    expect(await latest(b, deviceId)).toEqual(await latest(a, deviceId));
    expect(await history(a, deviceId)).toEqual(sent);
    expect(await history(b, deviceId)).toEqual(sent);

    // kill -9 B while messages keep coming: A takes B's partitions within the expiry plus (2 + 1) claim intervals.
    const sending = sendSome(100);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await b.kill();
    const killedAt = Date.now();
    await eventually(async () => expect(partitionsOf(await owners(redis), aOwner)).toHaveLength(4), { timeoutMs: 20_000, intervalMs: 50 });
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThanOrEqual((EXPIRY_S + 3 * CLAIM_S) * 1000);
    await sending;
    await eventually(async () => expect(await history(a, deviceId)).toEqual(sent), { timeoutMs: 15_000 });

    // B restarted takes its share back; nothing is stored twice.
    b = await gateway();
    await eventually(async () => expect(partitionsOf(await owners(redis), aOwner)).toHaveLength(2), { timeoutMs: 20_000, intervalMs: 100 });
    await sendSome(40);
    await eventually(async () => expect(await history(b, deviceId)).toEqual(sent), { timeoutMs: 15_000 });
    expect(await history(a, deviceId)).toEqual(sent);
    expect(await latest(b, deviceId)).toEqual({ ...(await latest(a, deviceId)), n: 179 });
    await eventually(() => expect(received()).toEqual(sent), { timeoutMs: 10_000 });
    expect(new Set(sent).size).toBe(180);
    console.log(`takeover after kill -9: ${takeoverMs} ms (bound ${(EXPIRY_S + 3 * CLAIM_S) * 1000} ms)`);
  }, 90_000);
});
