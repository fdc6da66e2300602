import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TelemetryStoreView } from '../../../src/devices/device-state.js';
import { DeviceFanout } from '../../../src/live/device-fanout.js';
import { deviceFeed, type FeedItem } from '../../../src/live/device-feed.js';
import type { TelemetryMessage } from '../../../src/telemetry/telemetry-message.js';

function message(deviceId: string, partitionId: string, sequenceNumber: number): TelemetryMessage {
  return {
    deviceId, moduleId: null, enqueuedTime: new Date(1_700_000_000_000 + sequenceNumber).toISOString(), partitionId,
    sequenceNumber, offset: String(sequenceNumber * 100), contentType: null, contentEncoding: null, messageId: null,
    properties: {}, creationTime: null, body: { n: sequenceNumber }, bodyEncoding: 'json',
  };
}

/** A minimal in-memory store view: a history array per device and a subject for stored$. */
function storeWith(history: TelemetryMessage[]): { store: TelemetryStoreView; stored: Subject<TelemetryMessage> } {
  const stored = new Subject<TelemetryMessage>();
  const store: TelemetryStoreView = {
    latest: (id) => history.filter((m) => m.deviceId === id).at(-1),
    history: (id) => history.filter((m) => m.deviceId === id),
    stored$: stored.asObservable(),
  };
  return { store, stored };
}

const label = (item: FeedItem): string => (item.kind === 'reset' ? 'reset' : `${item.message.partitionId}:${item.message.sequenceNumber}`);

describe('deviceFeed', () => {
  const history = [message('a', '0', 1), message('b', '0', 2), message('a', '1', 7), message('a', '0', 3)];

  it('without a position delivers only what is stored from now on, for this device only', () => {
    const { store, stored } = storeWith(history);
    const seen: string[] = [];
    const sub = deviceFeed(store, 'a').subscribe((i) => seen.push(label(i)));
    stored.next(message('b', '0', 4));
    stored.next(message('a', '1', 8));
    sub.unsubscribe();
    stored.next(message('a', '1', 9));
    expect(seen).toEqual(['1:8']);
  });

  it('resumes after a position held in the history, then live, without duplicates', () => {
    const { store, stored } = storeWith(history);
    const seen: string[] = [];
    const sub = deviceFeed(store, 'a', '0:1').subscribe((i) => seen.push(label(i)));
    stored.next(message('a', '0', 3)); // a duplicate of a replayed message
    stored.next(message('a', '0', 5));
    sub.unsubscribe();
    expect(seen).toEqual(['1:7', '0:3', '0:5']);
  });

  it('answers an unknown position with reset and the whole history', () => {
    const { store } = storeWith(history);
    const seen: string[] = [];
    deviceFeed(store, 'a', '0:0').subscribe((i) => seen.push(label(i))).unsubscribe();
    expect(seen).toEqual(['reset', '0:1', '1:7', '0:3']);
  });

  it('delivers nothing more when resuming from the newest position', () => {
    const { store } = storeWith(history);
    const seen: string[] = [];
    deviceFeed(store, 'a', '0:3').subscribe((i) => seen.push(label(i))).unsubscribe();
    expect(seen).toEqual([]);
  });
});

describe('DeviceFanout', () => {
  it('delivers each device’s messages to its listeners only, over one shared subscription while any is open', () => {
    const stored = new Subject<TelemetryMessage>();
    const fanout = new DeviceFanout(stored.asObservable());
    const seenA: number[] = [];
    const seenB: number[] = [];
    const a1 = fanout.device$('a').subscribe((m) => seenA.push(m.sequenceNumber));
    const a2 = fanout.device$('a').subscribe((m) => seenA.push(-m.sequenceNumber));
    const b = fanout.device$('b').subscribe((m) => seenB.push(m.sequenceNumber));
    stored.next(message('a', '0', 1));
    stored.next(message('b', '0', 2));
    a2.unsubscribe();
    stored.next(message('a', '0', 3));
    expect(seenA).toEqual([1, -1, 3]);
    expect(seenB).toEqual([2]);
    a1.unsubscribe();
    expect(stored.observed).toBe(true);
    b.unsubscribe();
    expect(stored.observed).toBe(false);
    let completed = false;
    fanout.device$('a').subscribe({ complete: () => (completed = true) });
    stored.complete();
    expect(completed).toBe(true);
  });
});
