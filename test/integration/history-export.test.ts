import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendResult } from '../../src/emulator/index.js';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';
import { startLiveFixture, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { storedHistory } from './support/gateway.js';

const COUNT = 1000;
/** Bodies whose paths vary: `label` only on even messages, `flags` an object, `note` a string with a comma and quotes. */
const body = (n: number) => ({
  voltage: 230 + n / 10,
  voltages: [n, n + 0.5, n % 7, n % 11, n % 13, n % 3, n % 5, n % 2, n % 9, n % 4, n % 6],
  env: { temperature: 20 + (n % 10), ok: n % 2 === 0 },
  ...(n % 2 === 0 ? { label: `m "${n}", even` } : {}),
  empty: [],
  nothing: null,
});
const HEADER = ['enqueuedTime', 'empty', 'env.ok', 'env.temperature', 'label', 'nothing', 'voltage',
  ...Array.from({ length: 11 }, (_, i) => `voltages[${i}]`)];
const row = (time: string, n: number): string[] => {
  const b = body(n);
  return [time, '[]', String(b.env.ok), String(b.env.temperature), b.label ?? '', '', String(b.voltage), ...b.voltages.map(String)];
};

describe('history export (CSV, NDJSON)', () => {
  let fx: LiveFixture;
  let results: SendResult[];
  let times: string[];
  beforeAll(async () => {
    fx = await startLiveFixture({ historyLimit: COUNT });
    results = await Promise.all(Array.from({ length: COUNT }, (_, n) =>
      fx.emulator.send('dev-1', JSON.stringify(body(n)), { contentType: 'application/json' })));
    await eventually(async () => expect(await storedHistory(fx.gw.app, 'dev-1')).toHaveLength(COUNT), { timeoutMs: 30_000 });
    times = results.map((r) => r.enqueuedTime.toISOString());
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
  });

  /** The stored messages, oldest first. */
  const storedOrder = async (): Promise<TelemetryMessage[]> => storedHistory(fx.gw.app, 'dev-1');

  it('a CSV export of 1,000 messages has 1,001 lines: the header and each message oldest first', async () => {
    const reply = await fx.gw.api('/api/devices/dev-1/telemetry', { headers: { accept: 'text/csv' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename="dev-1-first-last.csv"');
    const text = await reply.text();
    expect(text.trimEnd().split('\n')).toHaveLength(COUNT + 1);
    const rows: string[][] = parse(text);
    const stored = await storedOrder();
    expect(rows[0]).toEqual(HEADER);
    expect(rows.slice(1)).toEqual(stored.map((m) => row(m.enqueuedTime, (m.body as { voltages: number[] }).voltages[0]!)));
    expect(new Set(rows.slice(1).map((r) => r[6])).size).toBe(COUNT);
  });

  it('format=csv with fields and since/until: only those columns and the messages in the window', async () => {
    const sorted = [...times].sort();
    const since = sorted[100]!;
    const until = sorted[199]!;
    const reply = await fx.gw.api(`/api/devices/dev-1/telemetry?format=csv&since=${since}&until=${until}&fields=${encodeURIComponent('voltages[1],label,env')}`);
    expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="dev-1-${since.replace(/:/g, '_')}-${until.replace(/:/g, '_')}.csv"`);
    const rows: string[][] = parse(await reply.text());
    const window = (await storedOrder()).filter((m) => m.enqueuedTime >= since && m.enqueuedTime <= until);
    expect(window.length).toBeGreaterThanOrEqual(100);
    expect(rows).toEqual([['enqueuedTime', 'voltages[1]', 'label', 'env'], ...window.map((m) => {
      const b = m.body as ReturnType<typeof body>;
      return [m.enqueuedTime, String(b.voltages[1]), b.label ?? '', JSON.stringify(b.env)];
    })]);
  });

  it('NDJSON lines parse to the stored messages oldest first (Accept or format=ndjson), fields applied', async () => {
    const stored = await storedOrder();
    const byAccept = await fx.gw.api('/api/devices/dev-1/telemetry', { headers: { accept: 'application/x-ndjson' } });
    expect(byAccept.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(byAccept.headers.get('content-disposition')).toBe('attachment; filename="dev-1-first-last.ndjson"');
    const lines = (await byAccept.text()).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => JSON.parse(line) as unknown)).toEqual(stored);

    const selected = await fx.gw.api(`/api/devices/dev-1/telemetry?format=ndjson&limit=3&until=${stored[2]!.enqueuedTime}&fields=voltage`);
    const messages = (await selected.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as TelemetryMessage);
    const expected = stored.filter((m) => m.enqueuedTime <= stored[2]!.enqueuedTime).slice(-3);
    expect(messages).toEqual(expected.map((m) => ({ ...m, body: { voltage: (m.body as { voltage: number }).voltage } })));
  });

  it('JSON stays the default (newest first, limit 100), also for Accept: application/json', async () => {
    const stored = await storedOrder();
    for (const headers of [{}, { accept: 'application/json' }, { accept: 'text/html,*/*' }] as Record<string, string>[]) {
      const reply = await fx.gw.api('/api/devices/dev-1/telemetry', { headers });
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.headers.get('content-disposition')).toBeNull();
      expect(await reply.json()).toEqual({ deviceId: 'dev-1', items: stored.slice(-100).reverse() });
    }
    const bad = await fx.gw.api('/api/devices/dev-1/telemetry?format=xml');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('bad_request');
  });
});
