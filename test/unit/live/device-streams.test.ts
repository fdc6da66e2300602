import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { DeviceStreams } from '../../../src/live/device-streams.js';
import type { TelemetryMessage } from '../../../src/telemetry/telemetry-message.js';

const msg = (deviceId: string, sequenceNumber: number): TelemetryMessage => ({
  deviceId, moduleId: null, enqueuedTime: new Date(Date.UTC(2026, 0, 1) + sequenceNumber).toISOString(), partitionId: '0',
  sequenceNumber, offset: String(sequenceNumber), contentType: null, contentEncoding: null, messageId: null, properties: {},
  creationTime: null, body: sequenceNumber, bodyEncoding: 'json',
});

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('DeviceStreams', () => {
  it('splits the stored stream by device: each subscriber sees its device only, from its subscription on (marbles)', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const values = { a: msg('a', 1), b: msg('b', 2), c: msg('a', 3), d: msg('b', 4), e: msg('a', 5) };
      const streams = new DeviceStreams(hot('-a-b-c-d-e-|', values), hot('------------'));
      expectObservable(streams.device$('a')).toBe('-a---c---e-|', values);
      expectObservable(streams.device$('a'), '----^').toBe('-----c---e-|', values);
      expectObservable(streams.device$('b')).toBe('---b---d---|', values);
      expectObservable(streams.device$('nobody')).toBe('-----------|');
    });
  });

  it('ends a device\'s group when it stops being watched, forgets its latest, and follows the next group', () => {
    scheduler().run(({ hot, expectObservable, flush }) => {
      const values = { a: msg('a', 1), b: msg('b', 2), c: msg('a', 3) };
      const streams = new DeviceStreams(hot('-a-b---c-|', values), hot('----a----', { a: 'a' }));
      expectObservable(streams.device$('a')).toBe('-a-----c-|', values);
      const sizes: number[] = [];
      hot('---x-x--x').subscribe(() => void sizes.push(streams.size));
      flush();
      // 2 groups at frame 3, a's ended at frame 4, a's next group opened at frame 7.
      expect(sizes).toEqual([2, 1, 2]);
    });
  });

  it('keeps the latest message of each watched device and drops it when the device is unwatched', () => {
    scheduler().run(({ hot, flush }) => {
      const unwatched = hot('---a--', { a: 'a' });
      const streams = new DeviceStreams(hot('-ab---', { a: msg('a', 1), b: msg('b', 2) }), unwatched);
      const seen: string[] = [];
      for (const frame of [2, 4]) {
        hot('-'.repeat(frame) + 'x').subscribe(() =>
          seen.push(`${frame}:${streams.latest('a')?.sequenceNumber ?? '-'}/${streams.latest('b')?.sequenceNumber ?? '-'}/${streams.size}`),
        );
      }
      flush();
      expect(seen).toEqual(['2:1/2/2', '4:-/2/1']);
    });
  });
});
