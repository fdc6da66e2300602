import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fake-clock.js';
import type { WsClient } from './live-clients.js';
import { positionOfResult, startLiveFixture, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { json, TEST_API_KEY } from './support/gateway.js';

const MINUTE = 60_000;
/** A minute boundary just ahead of real time: enqueued times stay within the emulator's 24 h retention. */
const T0 = Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE;
const clock = new FakeClock(T0);
/** The enqueued time of the next send, when a test chooses one; else the clock's. */
let enqueueAt: number | undefined;

const temperature = (i: number): number => ((i * 37) % 101) / 4 - 5;
const bodyOf = (i: number): { t: number; v: number[]; label: string } => ({ t: temperature(i), v: [i, 100 - i], label: `m${i}` });
const SPEC = { interval: 'PT1M', fields: ['t', 'v'], fn: ['min', 'max', 'avg', 'count'] };

/** The expected per-minute statistics of messages `from`…`to` (inclusive), computed the obvious way. */
function expectedBucket(from: number, to: number): Record<string, unknown> {
  const stats = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs), avg: xs.reduce((a, b) => a + b) / xs.length, count: xs.length });
  const range = Array.from({ length: to - from + 1 }, (_, k) => from + k);
  return {
    start: new Date(T0 + from * 1000 - ((T0 + from * 1000) % MINUTE)).toISOString(),
    end: new Date(T0 + from * 1000 - ((T0 + from * 1000) % MINUTE) + MINUTE).toISOString(),
    count: range.length,
    values: { t: stats(range.map(temperature)), 'v[0]': stats(range), 'v[1]': stats(range.map((i) => 100 - i)) },
  };
}

describe('aggregates', () => {
  let fx: LiveFixture;
  let live: WsClient;
  let raw: WsClient;
  const positions: string[] = [];
  let beforeGraceEnd: unknown[] = [];

  /** Sends message `i` of the series at T0 + i s and waits until the live stream delivered it. */
  const sendSeries = async (from: number, to: number): Promise<void> => {
    for (let i = from; i <= to; i += 1) {
      clock.advance(T0 + i * 1000 - clock.now());
      const [result] = await fx.send('agg-1', [bodyOf(i)]);
      positions.push(positionOfResult(result!));
    }
    await eventually(() => expect(raw.ofType('telemetry', 'agg-1')).toHaveLength(to + 1), { timeoutMs: 20_000 });
  };

  beforeAll(async () => {
    fx = await startLiveFixture({ aggregateGraceS: 2 }, ['agg-1', 'late-1'], { clock, enqueuedTimes: () => enqueueAt ?? clock.now() });
    raw = await fx.ws({ key: TEST_API_KEY });
    raw.send({ type: 'subscribe', deviceIds: ['agg-1', 'late-1'] });
    live = await fx.ws({ key: TEST_API_KEY });
    live.send({ type: 'subscribe', deviceId: 'agg-1', aggregate: SPEC });
    await live.waitFor((m) => m.type === 'subscribed');
    await raw.waitFor((m) => m.type === 'subscribed' && m.deviceId === 'late-1');
    await sendSeries(0, 59);
    await sendSeries(60, 119);
    clock.advance(T0 + 121_999 - clock.now());
    await live.roundTrip();
    beforeGraceEnd = live.ofType('aggregate').map((m) => m.start);
    clock.advance(1);
  }, 60_000);
  afterAll(() => fx.close());

  it('sends each closed 1-minute bucket over the WebSocket once, with exact statistics, after the grace', async () => {
    expect(beforeGraceEnd).toEqual([expectedBucket(0, 59).start]);
    await live.waitFor((m) => m.type === 'aggregate' && m.start === expectedBucket(60, 119).start);
    expect(live.ofType('aggregate')).toEqual([
      { type: 'aggregate', deviceId: 'agg-1', interval: 'PT1M', position: positions[59], ...expectedBucket(0, 59) },
      { type: 'aggregate', deviceId: 'agg-1', interval: 'PT1M', position: positions[119], ...expectedBucket(60, 119) },
    ]);
  });

  it('answers the same buckets over REST, oldest first, bounded by since/until', async () => {
    const all = await json(fx.gw.api('/api/devices/agg-1/telemetry/aggregate?interval=1m&fields=t,v&fn=count,max,min,avg'));
    expect(all).toEqual({ status: 200, body: { deviceId: 'agg-1', interval: 'PT1M', items: [expectedBucket(0, 59), expectedBucket(60, 119)] } });
    const since = new Date(T0 + 30_000).toISOString();
    const until = new Date(T0 + 89_000).toISOString();
    const part = await json(fx.gw.api(`/api/devices/agg-1/telemetry/aggregate?interval=PT1M&fields=t,v&fn=min,max,avg,count&since=${since}&until=${until}`));
    expect(part.body.items).toEqual([expectedBucket(30, 59), expectedBucket(60, 89)]);
    const sums = await json(fx.gw.api('/api/devices/agg-1/telemetry/aggregate?interval=PT10S&fields=label,v[0]&fn=sum,first,last'));
    expect((sums.body.items as unknown[]).length).toBe(12);
    expect((sums.body.items as unknown[])[1]).toEqual({
      start: new Date(T0 + 10_000).toISOString(), end: new Date(T0 + 20_000).toISOString(), count: 10,
      values: { 'v[0]': { sum: 145, first: 10, last: 19 } },
    });
  });

  it('refuses bad intervals, functions and fields, more than 10,000 buckets, and unregistered devices', async () => {
    const at = (q: string) => json(fx.gw.api(`/api/devices/agg-1/telemetry/aggregate?${q}`));
    const since = new Date(T0).toISOString();
    for (const q of ['interval=P1M&fields=t', 'interval=P1Y&fields=t', 'interval=soon&fields=t', 'interval=1m&fields=t&fn=median',
      'interval=1m&fields=t..x', 'interval=1m', `interval=1s&fields=t&since=${since}&until=${new Date(T0 + 10_001_000).toISOString()}`]) {
      const answer = await at(q);
      expect(answer.status, q).toBe(400);
      expect(answer.body.error, q).toBe('bad_request');
    }
    expect((await at(`interval=1s&fields=t&since=${since}&until=${new Date(T0 + 10_000_000).toISOString()}`)).status).toBe(200);
    expect((await json(fx.gw.api('/api/devices/nobody/telemetry/aggregate?interval=1m&fields=t'))).status).toBe(404);
    const before = live.messages.length;
    live.send({ type: 'subscribe', deviceId: 'agg-1', aggregate: { ...SPEC, interval: 'P1M' } });
    expect(await live.waitFor((m) => m.type === 'error', 10_000, before)).toMatchObject({ error: 'bad_request' });
  });

  it('resumes from a position: the buckets after it recomputed from history, over WebSocket and SSE', async () => {
    const resumed = await fx.ws({ key: TEST_API_KEY });
    resumed.send({ type: 'subscribe', deviceId: 'agg-1', from: positions[59], aggregate: SPEC });
    await resumed.waitFor((m) => m.type === 'aggregate');
    await resumed.roundTrip();
    expect(resumed.ofType('aggregate')).toEqual([
      { type: 'aggregate', deviceId: 'agg-1', interval: 'PT1M', position: positions[119], ...expectedBucket(60, 119) },
    ]);
    const sse = await fx.sse('agg-1', { 'x-api-key': TEST_API_KEY, 'last-event-id': positions[89]! }, '?interval=1m&fields=t,v&fn=min,max,avg,count');
    await eventually(() => expect(sse.named('aggregate')).toHaveLength(1));
    expect(sse.named('aggregate')[0]!.id).toBe(positions[119]);
    expect(JSON.parse(sse.named('aggregate')[0]!.data)).toEqual({
      deviceId: 'agg-1', interval: 'PT1M', position: positions[119], ...expectedBucket(90, 119),
    });
  });

  it('counts late messages within the grace and drops and counts later ones', async () => {
    const G = Math.ceil((clock.now() + 1) / 10_000) * 10_000;
    const client = await fx.ws({ key: TEST_API_KEY });
    client.send({ type: 'subscribe', deviceId: 'late-1', aggregate: { interval: '10s', fields: ['x'], fn: ['count', 'sum'] } });
    await client.waitFor((m) => m.type === 'subscribed');
    const sendAt = async (clockMs: number, enqueuedMs: number, x: number): Promise<void> => {
      clock.advance(clockMs - clock.now());
      const seen = raw.ofType('telemetry', 'late-1').length;
      enqueueAt = enqueuedMs;
      await fx.send('late-1', [{ x }]);
      enqueueAt = undefined;
      await eventually(() => expect(raw.ofType('telemetry', 'late-1')).toHaveLength(seen + 1));
    };
    const dropped = async (): Promise<number> => {
      const text = await (await fx.gw.api('/metrics')).text();
      return Number(/^gateway_aggregate_late_dropped_total (\d+)/m.exec(text)?.[1]);
    };
    const droppedBefore = await dropped();
    await sendAt(G + 1_000, G + 1_000, 1);
    await sendAt(G + 11_000, G + 5_000, 2); // after the bucket's end, within the 2 s grace
    clock.advance(G + 12_000 - clock.now());
    await client.waitFor((m) => m.type === 'aggregate');
    await sendAt(G + 12_000, G + 9_000, 4); // its bucket has closed
    await sendAt(G + 13_000, G + 13_000, 8);
    clock.advance(G + 22_000 - clock.now());
    await client.waitFor((m) => m.type === 'aggregate' && m.start === new Date(G + 10_000).toISOString());
    expect(client.ofType('aggregate').map(({ start, count, values }) => ({ start, count, values }))).toEqual([
      { start: new Date(G).toISOString(), count: 2, values: { x: { count: 2, sum: 3 } } },
      { start: new Date(G + 10_000).toISOString(), count: 1, values: { x: { count: 1, sum: 8 } } },
    ]);
    expect(await dropped()).toBe(droppedBefore + 1);
  });
});
