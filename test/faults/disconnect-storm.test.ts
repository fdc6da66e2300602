import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveFixture, type LiveFixture } from '../integration/live-fixture.js';
import { eventually } from '../integration/support/eventually.js';
import { json } from '../integration/support/gateway.js';

const DEVICE = 'storm-1';
const RATE_PER_S = 200;
const DURATION_MS = 10_000;
const FAULT_EVERY_MS = 2_000;
const TICK_MS = 50;

/** Sequence numbers that occur other than exactly once in `seen`, out of 0..count-1 (missing ones and duplicates). */
function notExactlyOnce(seen: readonly number[], count: number): { missing: number[]; duplicated: number[] } {
  const times = new Map<number, number>();
  for (const n of seen) times.set(n, (times.get(n) ?? 0) + 1);
  const missing = Array.from({ length: count }, (_, n) => n).filter((n) => !times.has(n));
  const duplicated = [...times].filter(([, t]) => t > 1).map(([n]) => n);
  return { missing, duplicated };
}

describe('a disconnect fault every 2 s under 200 msg/s', () => {
  let fx: LiveFixture;
  beforeAll(async () => {
    fx = await startLiveFixture({ historyLimit: 5_000 }, [DEVICE]);
  });
  afterAll(async () => fx?.close());

  it('delivers every sequence number exactly once, in the history and on a WebSocket subscriber', async () => {
    const ws = await fx.ws({ key: fx.gw.config.apiKey ?? '' });
    ws.send({ type: 'subscribe', deviceIds: [DEVICE] });
    await ws.waitFor((m) => m.type === 'subscribed');
    const devices = `http://127.0.0.1:${fx.emulator.httpPort}/devices/${DEVICE}/messages/events`;
    const faults = `http://127.0.0.1:${fx.emulator.httpPort}/_emulator/faults`;
    const started = Date.now();
    let sent = 0;
    let faultsSent = 0;
    const sends: Promise<Response>[] = [];
    // Pacing: every tick sends what the rate allows so far; every FAULT_EVERY_MS one disconnect through the control API.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = Date.now() - started;
        const due = Math.min(Math.floor((elapsed * RATE_PER_S) / 1000), (DURATION_MS * RATE_PER_S) / 1000);
        for (; sent < due; sent += 1) {
          sends.push(fetch(devices, { method: 'POST', headers: { 'iothub-contenttype': 'application/json' }, body: JSON.stringify({ seq: sent }) }));
        }
        if (elapsed >= (faultsSent + 1) * FAULT_EVERY_MS && elapsed < DURATION_MS) {
          faultsSent += 1;
          sends.push(fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'disconnect' }) }));
        }
        if (elapsed >= DURATION_MS) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 204)).toEqual([]);
    expect(sent).toBe(2_000);
    expect(faultsSent).toBe(4);

    const seqOf = (body: unknown): number => (body as { seq: number }).seq;
    await eventually(() => expect(ws.ofType('telemetry', DEVICE).length).toBeGreaterThanOrEqual(sent), { timeoutMs: 60_000, intervalMs: 200 });
    await ws.roundTrip();
    expect(notExactlyOnce(ws.ofType('telemetry', DEVICE).map((m) => seqOf(m.body)), sent)).toEqual({ missing: [], duplicated: [] });

    const history = await json(fx.gw.api(`/api/devices/${DEVICE}/telemetry?limit=5000`));
    expect(history.status).toBe(200);
    expect(notExactlyOnce((history.body.items ?? []).map((m) => seqOf(m.body)), sent)).toEqual({ missing: [], duplicated: [] });
  }, 90_000);
});
