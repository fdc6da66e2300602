import { describe, expect, it } from 'vitest';
import { backoffDelay, closeAction, liveUrl } from '../../client/src/index.js';
import { MAX_TRACKED_DEVICES, ResumePositions } from '../../client/src/resume-positions.js';
import { Subscriptions } from '../../client/src/subscriptions.js';
import { CloseCode } from '../../src/live/close-codes.js';

describe('client backoff', () => {
  it('doubles from initialMs up to maxMs; jitter takes the given share', () => {
    const at = (random: number) => [0, 1, 2, 3, 4, 5, 40].map((a) => backoffDelay(a, { initialMs: 100, maxMs: 1000, random: () => random }));
    expect(at(1)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(at(0)).toEqual([50, 100, 200, 400, 500, 500, 500]);
    expect(backoffDelay(0, { initialMs: 100, jitter: 0, random: () => 0 })).toBe(100);
  });
});

describe('client close actions', () => {
  it('stops for the key, the origin and policy codes; retries shutdown, heartbeat, too slow and lost connections', () => {
    expect([CloseCode.unauthorized, CloseCode.originNotAllowed, 1008, 1002].map(closeAction)).toEqual(['stop', 'stop', 'stop', 'stop']);
    expect([CloseCode.shuttingDown, CloseCode.heartbeatTimeout, CloseCode.tooSlow, 1000, 1001, 1006, 1011, 4999].map(closeAction))
      .toEqual(Array(8).fill('retry'));
    expect(closeAction(CloseCode.tryAgainLater)).toBe('retryLater');
  });
});

describe('client URLs', () => {
  it('turns a gateway URL into its /api/ws URL, dropping query and fragment', () => {
    expect(liveUrl('http://localhost:5000')).toBe('ws://localhost:5000/api/ws');
    expect(liveUrl('https://gw.example/base/?api_key=x#y')).toBe('wss://gw.example/base/api/ws');
    expect(liveUrl('ws://h:1/api/ws')).toBe('ws://h:1/api/ws');
  });
});

describe('client resume positions', () => {
  it('drops a message at or before the last one of its partition, keeps later ones and other partitions', () => {
    const p = new ResumePositions();
    expect([p.accept('d', '1:5'), p.accept('d', '1:5'), p.accept('d', '1:4'), p.accept('d', '1:6'), p.accept('d', '0:2')]).toEqual([true, false, false, true, true]);
    expect(p.get('d')).toBe('0:2');
    p.set('d', undefined);
    expect(p.accept('d', '1:1')).toBe(true); // after a reset, the history is new
    p.adopt('d', '1:0');
    expect(p.get('d')).toBe('1:1');
  });

  it('keeps at most MAX_TRACKED_DEVICES positions, the oldest going first', () => {
    const p = new ResumePositions();
    for (let i = 0; i <= MAX_TRACKED_DEVICES; i += 1) p.set(`d${i}`, `0:${i}`);
    expect(p.entries()).toHaveLength(MAX_TRACKED_DEVICES);
    expect(p.get('d0')).toBeUndefined();
    expect(p.get(`d${MAX_TRACKED_DEVICES}`)).toBe(`0:${MAX_TRACKED_DEVICES}`);
  });
});

describe('client subscriptions', () => {
  it('resubscribes devices with the same options in one message, each from its position, options passed through', () => {
    const s = new Subscriptions();
    const p = new ResumePositions();
    s.add(['a', 'b'], { fields: ['voltage'] });
    s.add(['c'], { hubEvents: true, moduleId: 'm1' });
    s.add([], { deviceIdPattern: 'meter-*', aggregate: { interval: 'PT1M', fields: ['v'], fn: ['avg'] } });
    p.set('a', '0:7');
    p.set('x', '1:3');
    expect(s.messages(p)).toEqual([
      { type: 'subscribe', deviceIds: ['a', 'b'], from: { a: '0:7' }, fields: ['voltage'] },
      { type: 'subscribe', deviceIds: ['c'], hubEvents: true, moduleId: 'm1' },
      { type: 'subscribe', from: { x: '1:3' }, deviceIdPattern: 'meter-*', aggregate: { interval: 'PT1M', fields: ['v'], fn: ['avg'] } },
    ]);
    s.remove(['a', 'b']);
    expect(s.messages(p).map((m) => m.deviceIds)).toEqual([['c'], undefined]);
  });
});
