import { describe, expect, it } from 'vitest';
import { DiscoveredDevices } from '../../../src/devices/discovered-devices.js';
import { parseClientMessage } from '../../../src/live/client-messages.js';
import { isOriginAllowed } from '../../../src/live/origin-check.js';
import { formatSseEvent } from '../../../src/live/sse-format.js';

describe('parseClientMessage', () => {
  it('normalizes subscribe with one device and a position', () => {
    expect(parseClientMessage('{"type":"subscribe","deviceId":"d1","from":"0:5"}')).toEqual({
      ok: true,
      message: { type: 'subscribe', deviceIds: ['d1'], from: new Map([['d1', '0:5']]), options: {} },
    });
  });
  it('parses the subscribe options: fields to paths, aggregate fields and fn, a bad path refused', () => {
    const parsed = parseClientMessage(JSON.stringify({
      type: 'subscribe', deviceId: 'd1', fields: ['voltages[1]', 'env.t'], hubEvents: true, moduleId: 'm1',
      aggregate: { interval: '1m', fields: ['v'], fn: ['min', 'max', 'min'] },
    }));
    expect(parsed.ok && parsed.message.type === 'subscribe' && parsed.message.options).toEqual({
      fields: [{ text: 'voltages[1]', segments: ['voltages', 1] }, { text: 'env.t', segments: ['env', 't'] }],
      hubEvents: true, moduleId: 'm1',
      aggregate: { interval: '1m', fields: [{ text: 'v', segments: ['v'] }], fn: ['min', 'max'] },
    });
    expect(parseClientMessage(JSON.stringify({ type: 'subscribe', deviceId: 'd1', fields: ['a..b'] }))).toEqual({
      ok: false, message: 'field path "a..b" is invalid at character 3',
    });
  });

  it('takes a per-device from map with several devices', () => {
    const parsed = parseClientMessage('{"type":"subscribe","deviceIds":["a","b"],"from":{"b":"1:2"}}');
    expect(parsed).toEqual({ ok: true, message: { type: 'subscribe', deviceIds: ['a', 'b'], from: new Map([['b', '1:2']]), options: {} } });
  });
  it.each([
    ['{nope', 'malformed JSON'],
    ['[1,2]', 'a message is a JSON object with a string "type"'],
    ['{"type":"dance"}', 'unknown message type "dance"'],
    ['{"type":"subscribe"}', 'subscribe needs "deviceIds" (or "deviceId", or "deviceIdPattern")'],
    ['{"type":"subscribe","deviceIdPattern":"a/*"}', 'invalid deviceIdPattern: pattern "a/*" contains characters IoT Hub does not allow (allowed: ASCII letters, digits and -.%_*?!(),:=@$\'+#;)'],
    ['{"type":"subscribe","deviceIds":["a","b"],"from":"0:1"}', '"from" must be a map { "<deviceId>": "<position>" } with several devices'],
  ])('rejects %s', (text, message) => {
    expect(parseClientMessage(text)).toEqual({ ok: false, message });
  });
  it('rejects a bad device ID and a bad position with the failing path', () => {
    const badId = parseClientMessage('{"type":"subscribe","deviceIds":["bad id"]}');
    expect(badId.ok).toBe(false);
    expect(!badId.ok && badId.message).toMatch(/^invalid "subscribe" message: \/deviceIds\/0 /);
    const badFrom = parseClientMessage('{"type":"subscribe","deviceId":"a","from":"five"}');
    expect(!badFrom.ok && badFrom.message).toMatch(/^invalid "subscribe" message: \/from /);
  });
});

describe('isOriginAllowed', () => {
  it('allows non-browser clients, the same origin, and listed origins only', () => {
    expect(isOriginAllowed(undefined, '127.0.0.1:5000', [])).toBe(true);
    expect(isOriginAllowed('http://127.0.0.1:5000', '127.0.0.1:5000', [])).toBe(true);
    expect(isOriginAllowed('http://evil.example', '127.0.0.1:5000', [])).toBe(false);
    expect(isOriginAllowed('null', '127.0.0.1:5000', [])).toBe(false);
    expect(isOriginAllowed('https://Dash.Example', 'gw:5000', ['https://dash.example'])).toBe(true);
    expect(isOriginAllowed('https://other.example', 'gw:5000', ['https://dash.example'])).toBe(false);
    expect(isOriginAllowed('https://any.example', 'gw:5000', ['*'])).toBe(true);
  });
});

describe('DiscoveredDevices', () => {
  it('counts messages, keeps the latest enqueued time, lists most recent first, forgets the least recent', () => {
    const devices = new DiscoveredDevices(2);
    devices.record({ deviceId: 'a', enqueuedTime: '2024-01-01T00:00:01.000Z' });
    devices.record({ deviceId: 'b', enqueuedTime: '2024-01-01T00:00:02.000Z' });
    devices.record({ deviceId: 'a', enqueuedTime: '2024-01-01T00:00:03.000Z' });
    expect(devices.list()).toEqual([
      { deviceId: 'a', lastSeen: '2024-01-01T00:00:03.000Z', messageCount: 2 },
      { deviceId: 'b', lastSeen: '2024-01-01T00:00:02.000Z', messageCount: 1 },
    ]);
    devices.record({ deviceId: 'c', enqueuedTime: '2024-01-01T00:00:04.000Z' });
    expect(devices.list().map((d) => d.deviceId)).toEqual(['c', 'a']);
  });
});

describe('formatSseEvent', () => {
  it('writes id, event and one data line', () => {
    expect(formatSseEvent('telemetry', { text: 'a\nb' }, '0:5')).toBe('id: 0:5\nevent: telemetry\ndata: {"text":"a\\nb"}\n\n');
  });
});
