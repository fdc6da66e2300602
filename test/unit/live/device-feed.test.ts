import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { deviceFeed, type FeedItem, type FeedSource } from '../../../src/live/device-feed.js';
import { MemoryTelemetryStore } from '../../../src/store/memory-telemetry-store.js';
import type { ResumeResult } from '../../../src/store/telemetry-store.js';
import type { TelemetryMessage } from '../../../src/telemetry/telemetry-message.js';
import { message } from '../store/telemetry-store-contract.js';

const label = (item: FeedItem): string =>
  item.kind === 'telemetry' ? `${item.message.partitionId}:${item.message.sequenceNumber}` : item.kind;

/**
 * A store holding `history` for device `a` and a live subject; `after` reads the store when called but answers only
 * when the test calls `release()`, so a test can store and publish messages while the feed is reading history.
 */
async function harness(history: TelemetryMessage[], historyLimit = 100) {
  const store = new MemoryTelemetryStore(historyLimit);
  await store.append(history, []);
  const live = new Subject<TelemetryMessage>();
  const waiting: Array<() => void> = [];
  const source: FeedSource = {
    after: (position) => {
      const snapshot = store.after('a', position);
      return new Promise<ResumeResult>((resolve, reject) => {
        waiting.push(() => void snapshot.then(resolve, reject));
      });
    },
    live$: live.asObservable(),
  };
  /** Stores a message, then publishes it live (as the pipeline does). */
  const publish = async (m: TelemetryMessage) => {
    const stored = await store.append([m], []);
    for (const s of stored) live.next(s);
  };
  const release = async () => {
    while (waiting.length) waiting.shift()?.();
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
  };
  return { store, live, source, publish, release, waiting };
}

describe('deviceFeed', () => {
  const history = [message('a', '0', 1), message('a', '1', 7), message('a', '0', 3)];

  it('without a position delivers only what is stored from now on', async () => {
    const h = await harness(history);
    const seen: string[] = [];
    const sub = deviceFeed(h.source).subscribe((i) => seen.push(label(i)));
    await h.publish(message('a', '1', 8));
    sub.unsubscribe();
    await h.publish(message('a', '1', 9));
    expect(seen).toEqual(['1:8']);
    expect(h.waiting).toHaveLength(0);
  });

  it('resumes after a held position: the later history, then live messages that arrived during the read, once each', async () => {
    const h = await harness(history);
    const seen: string[] = [];
    deviceFeed(h.source, '0:1').subscribe((i) => seen.push(label(i)));
    await h.publish(message('a', '0', 4)); // stored before the read is answered: in history and in the buffer
    await h.publish(message('a', '1', 8));
    expect(seen).toEqual([]);
    await h.release();
    await h.publish(message('a', '0', 5));
    expect(seen).toEqual(['1:7', '0:3', '0:4', '1:8', 'caught-up', '0:5']);
  });

  it('sends reset, then the whole history, for a position no longer held', async () => {
    const h = await harness(history);
    const seen: string[] = [];
    deviceFeed(h.source, '0:0').subscribe((i) => seen.push(label(i)));
    await h.release();
    await h.publish(message('a', '0', 4));
    expect(seen).toEqual(['reset', '0:1', '1:7', '0:3', 'caught-up', '0:4']);
  });

  it('reads history again when more live messages arrive during the read than it buffers', async () => {
    const h = await harness(history);
    const seen: string[] = [];
    deviceFeed(h.source, '0:3', 2).subscribe((i) => seen.push(label(i)));
    for (const n of [4, 5, 6, 7, 8]) await h.publish(message('a', '0', n));
    await h.release(); // the first read saw nothing after 0:3; 6, 7, 8 did not fit in the buffer
    expect(seen).toEqual([]);
    await h.release(); // the second read, after the last delivered position, finds them in the store
    await h.publish(message('a', '0', 9));
    expect(seen).toEqual(['0:4', '0:5', '0:6', '0:7', '0:8', 'caught-up', '0:9']);
  });

  it('treats an unreadable history as a reset and goes on live', async () => {
    const live = new Subject<TelemetryMessage>();
    const seen: string[] = [];
    deviceFeed({ after: () => Promise.reject(new Error('store down')), live$: live }, '0:1').subscribe((i) => seen.push(label(i)));
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    live.next(message('a', '0', 2));
    expect(seen).toEqual(['reset', 'caught-up', '0:2']);
  });

  it('completes with the live stream, after the history read finished', async () => {
    const h = await harness(history);
    let completed = false;
    deviceFeed(h.source, '0:1').subscribe({ complete: () => void (completed = true) });
    h.live.complete();
    expect(completed).toBe(false);
    await h.release();
    expect(completed).toBe(true);
  });
});
