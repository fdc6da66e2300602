import { describe, expect, it } from 'vitest';
import { CompactHistory, MAX_ENVELOPES_PER_DEVICE } from '../../../src/store/compact-history.js';
import type { TelemetryMessage } from '../../../src/telemetry/telemetry-message.js';

const base = (sequenceNumber: number, over: Partial<TelemetryMessage> = {}): TelemetryMessage => {
  const message: TelemetryMessage = {
    deviceId: 'dev-1', moduleId: null, enqueuedTime: new Date(1_700_000_000_000 + sequenceNumber * 1000).toISOString(),
    partitionId: '2', sequenceNumber, offset: String(sequenceNumber * 512), contentType: 'application/json',
    contentEncoding: 'utf-8', messageId: null, properties: {}, creationTime: null,
    body: { temperature: 21.5 + sequenceNumber, nested: { ok: true, list: [1, 'two', null] } }, bodyEncoding: 'json',
  };
  return { ...message, ...over };
};

// Every shape the packer treats specially, each stored then read back from the packed columns.
const variants: TelemetryMessage[] = [
  base(1),
  base(2, { moduleId: 'edge', messageId: 'm-2', properties: { alert: true, level: 3, note: 'x', none: null } }),
  base(3, { offset: '007', creationTime: '2026-01-02T03:04:05.678Z' }),
  base(4, { offset: '', creationTime: 'not a date', contentType: null, contentEncoding: null }),
  base(5, { enqueuedTime: '2026-01-02T03:04:05Z', body: 'plain text', bodyEncoding: 'text' }),
  base(6, { body: 'AAEC', bodyEncoding: 'base64', bodyFormat: ['gzip'] }),
  base(7, { body: { n: 1 }, bodyFormat: ['gzip', 'cbor'], properties: JSON.parse('{"__proto__":"kept"}') as Record<string, string> }),
  base(8, { body: [1, { '10': 'a', '2': 'b', z: 'c' }], sequenceNumber: 2 ** 40 + 8, offset: String(2 ** 50) }),
  base(9, { body: null }),
  base(10),
];

describe('CompactHistory', () => {
  it('gives back every message with the same JSON and equal values, the latest as the stored object', () => {
    const history = new CompactHistory('dev-1', 100);
    for (const message of variants) history.push(message);
    expect(history.size).toBe(variants.length);
    expect(history.latest).toBe(variants.at(-1));
    variants.forEach((message, i) => {
      const read = history.at(i);
      expect(JSON.stringify(read)).toBe(JSON.stringify(message));
      expect(read).toEqual(message);
      expect(Object.keys(read)).toEqual(Object.keys(message));
      expect(Number.isNaN(history.timeAt(i)) ? NaN : history.timeAt(i)).toBe(Date.parse(message.enqueuedTime));
    });
  });

  it('keeps the newest `limit` messages, oldest evicted first, across ring growth and wrap-around', () => {
    const history = new CompactHistory('dev-1', 20);
    const all = Array.from({ length: 57 }, (_, i) => base(i + 1));
    for (const message of all) history.push(message);
    expect(history.size).toBe(20);
    expect(history.from(0).map((m) => JSON.stringify(m))).toEqual(all.slice(-20).map((m) => JSON.stringify(m)));
  });

  it('holds one message at limit 1', () => {
    const history = new CompactHistory('dev-1', 1);
    history.push(base(1));
    history.push(base(2));
    expect(history.from(0)).toEqual([base(2)]);
  });

  it('finds positions exactly as positionOf writes them, packed or newest', () => {
    const history = new CompactHistory('dev-1', 100);
    for (const message of variants) history.push(message);
    expect(history.indexOf('2:3')).toBe(2);
    expect(history.indexOf(`2:${2 ** 40 + 8}`)).toBe(7);
    expect(history.indexOf('2:10')).toBe(9);
    expect(history.indexOf('2:03')).toBe(-1);
    expect(history.indexOf('1:3')).toBe(-1);
    expect(history.indexOf('nothing')).toBe(-1);
  });

  it('carries the envelope in the text once the device has more distinct envelopes than it interns', () => {
    const count = MAX_ENVELOPES_PER_DEVICE + 5;
    const history = new CompactHistory('dev-1', count + 1);
    const all = Array.from({ length: count + 1 }, (_, i) => base(i + 1, { partitionId: `p:${i}` }));
    for (const message of all) history.push(message);
    expect(history.from(0).map((m) => JSON.stringify(m))).toEqual(all.map((m) => JSON.stringify(m)));
    expect(history.indexOf(`p:${count - 1}:${count}`)).toBe(count - 1);
  });
});
