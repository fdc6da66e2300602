import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchCounts } from '../../../src/live/frame-batch.js';
import { SendQueue, type QueueSink } from '../../../src/live/send-queue.js';
import { FakeClock } from '../../support/fake-clock.js';

/** A sink whose socket buffer is "full" while `blocked`; flush() runs the pending send callbacks. */
class FakeSink implements QueueSink {
  sent: unknown[] = [];
  /** Each frame's text, as sent. */
  frames: string[] = [];
  blocked = false;
  reading = true;
  private callbacks: Array<(error?: Error) => void> = [];
  get bufferedAmount(): number {
    return this.blocked ? 1 << 20 : 0;
  }
  send(data: string, callback: (error?: Error) => void): void {
    this.sent.push(JSON.parse(data));
    this.frames.push(data);
    this.callbacks.push(callback);
  }
  pause(): void {
    this.reading = false;
  }
  resume(): void {
    this.reading = true;
  }
  flush(): void {
    const callbacks = this.callbacks;
    this.callbacks = [];
    for (const cb of callbacks) cb();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SendQueue', () => {
  it('keeps only the newest pending frame of a kind pushed with pushLatest, in its place in the queue', () => {
    const sink = new FakeSink();
    const queue = new SendQueue(sink, { maxQueue: 10, slowClientTimeoutMs: 1000, onTooSlow: () => undefined });
    sink.blocked = true;
    queue.pushLatest('devices', JSON.stringify({ list: 1 }));
    queue.pushTelemetry('d1', JSON.stringify({ n: 1 }));
    queue.pushLatest('devices', JSON.stringify({ list: 2 }));
    queue.pushLatest('devices', JSON.stringify({ list: 3 }));
    expect(queue.size).toBe(2);
    sink.blocked = false;
    queue.pushTelemetry('d1', JSON.stringify({ n: 2 }));
    queue.pushLatest('devices', JSON.stringify({ list: 4 }));
    expect(sink.sent).toEqual([{ list: 3 }, { n: 1 }, { n: 2 }, { list: 4 }]);
  });

  it('keeps a pushLatest frame aside while the queue is full of control messages, instead of closing', () => {
    const sink = new FakeSink();
    let tooSlow = 0;
    const queue = new SendQueue(sink, { maxQueue: 2, slowClientTimeoutMs: 60_000, onTooSlow: () => (tooSlow += 1) });
    queue.pushControl({ c: 1 });
    sink.blocked = true;
    queue.pushControl({ c: 2 });
    queue.pushControl({ c: 3 });
    queue.pushLatest('devices', JSON.stringify({ list: 1 }));
    queue.pushLatest('devices', JSON.stringify({ list: 2 }));
    expect([queue.size, tooSlow]).toEqual([2, 0]);
    sink.blocked = false;
    sink.flush(); // the socket wrote c1: the queue drains
    expect(sink.sent).toEqual([{ c: 1 }, { c: 2 }, { c: 3 }, { list: 2 }]);
    expect(tooSlow).toBe(0);
  });

  it('sends at once while the socket keeps up', () => {
    const sink = new FakeSink();
    const queue = new SendQueue(sink, { maxQueue: 3, slowClientTimeoutMs: 1000, onTooSlow: () => undefined });
    for (let i = 0; i < 10; i++) queue.pushTelemetry('d1', JSON.stringify({ n: i }));
    expect(sink.sent).toEqual(Array.from({ length: 10 }, (_, n) => ({ n })));
    expect(queue.droppedCount).toBe(0);
  });

  it('drops the oldest telemetry when full, then sends one dropped notice per device before the rest', () => {
    const sink = new FakeSink();
    const queue = new SendQueue(sink, { maxQueue: 3, slowClientTimeoutMs: 60_000, onTooSlow: () => undefined });
    queue.pushTelemetry('d1', JSON.stringify({ n: 0 })); // sent before the socket blocks
    sink.blocked = true;
    queue.pushControl({ type: 'subscribed' });
    for (let n = 1; n <= 6; n++) queue.pushTelemetry(n % 2 ? 'd1' : 'd2', JSON.stringify({ n }));
    expect(queue.size).toBe(3);
    expect(queue.droppedCount).toBe(4);
    sink.blocked = false;
    sink.flush();
    expect(sink.sent).toEqual([
      { n: 0 },
      { type: 'dropped', deviceId: 'd1', count: 2 },
      { type: 'dropped', deviceId: 'd2', count: 2 },
      { type: 'subscribed' },
      { n: 5 },
      { n: 6 },
    ]);
    queue.close();
  });

  it('runs the slow-client deadline on the injected clock', () => {
    const clock = new FakeClock();
    const sink = new FakeSink();
    const onTooSlow = vi.fn();
    const queue = new SendQueue(sink, { maxQueue: 2, slowClientTimeoutMs: 1000, onTooSlow, clock });
    sink.blocked = true;
    for (let n = 0; n < 3; n++) queue.pushTelemetry('d', JSON.stringify({ n }));
    clock.advance(999);
    expect(onTooSlow).not.toHaveBeenCalled();
    clock.advance(1);
    expect(onTooSlow).toHaveBeenCalledTimes(1);
    queue.close();
  });

  it('calls onTooSlow once the queue stayed full for the timeout, not when it drained in time', () => {
    vi.useFakeTimers();
    const sink = new FakeSink();
    const onTooSlow = vi.fn();
    const queue = new SendQueue(sink, { maxQueue: 2, slowClientTimeoutMs: 1000, onTooSlow });
    sink.blocked = true;
    queue.pushTelemetry('d', JSON.stringify({ n: 1 }));
    queue.pushTelemetry('d', JSON.stringify({ n: 2 }));
    vi.advanceTimersByTime(900);
    sink.blocked = false;
    queue.pushTelemetry('d', JSON.stringify({ n: 3 })); // drains everything: the timer stops
    vi.advanceTimersByTime(5000);
    expect(onTooSlow).not.toHaveBeenCalled();
    sink.blocked = true;
    for (let n = 4; n < 10; n++) queue.pushTelemetry('d', JSON.stringify({ n }));
    vi.advanceTimersByTime(999);
    expect(onTooSlow).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onTooSlow).toHaveBeenCalledTimes(1);
    queue.close();
  });

  it('counts control messages against the cap: stops reading when full, resumes at half, ends the connection past it', () => {
    const sink = new FakeSink();
    const onTooSlow = vi.fn();
    const queue = new SendQueue(sink, { maxQueue: 4, slowClientTimeoutMs: 60_000, onTooSlow });
    sink.blocked = true;
    queue.pushTelemetry('d', JSON.stringify({ n: 1 }));
    for (let n = 0; n < 3; n++) queue.pushControl({ type: 'pong', n });
    expect([queue.size, sink.reading]).toEqual([4, false]);
    queue.pushControl({ type: 'pong', n: 3 }); // makes room by dropping the telemetry
    expect([queue.size, queue.droppedCount, onTooSlow.mock.calls.length]).toEqual([4, 1, 0]);
    queue.pushTelemetry('d', JSON.stringify({ n: 2 })); // nothing droppable but itself
    expect([queue.size, queue.droppedCount]).toEqual([4, 2]);
    queue.pushControl({ type: 'pong', n: 4 });
    expect(onTooSlow).toHaveBeenCalledTimes(1);
    expect(queue.peakSize).toBe(4);
    queue.close();
  });

  it('resumes reading once the queue drained to half', () => {
    const sink = new FakeSink();
    const queue = new SendQueue(sink, { maxQueue: 4, slowClientTimeoutMs: 60_000, onTooSlow: () => undefined });
    queue.pushControl({ type: 'pong', n: -1 }); // in flight: its callback drains the queue
    sink.blocked = true;
    for (let n = 0; n < 4; n++) queue.pushControl({ type: 'pong', n });
    expect(sink.reading).toBe(false);
    sink.blocked = false;
    sink.flush();
    expect([queue.size, sink.reading]).toEqual([0, true]);
    queue.close();
  });

  it('keeps at most one pending control message of a kind', () => {
    const sink = new FakeSink();
    const queue = new SendQueue(sink, { maxQueue: 10, slowClientTimeoutMs: 60_000, onTooSlow: () => undefined });
    queue.pushControl({ type: 'pong' });
    sink.blocked = true;
    for (let n = 0; n < 5; n++) queue.pushControl({ type: 'error', n }, 'error:not_found');
    queue.pushControl({ type: 'error', n: 9 }, 'error:bad_request');
    expect(queue.size).toBe(2);
    sink.blocked = false;
    sink.flush();
    queue.pushControl({ type: 'error', n: 5 }, 'error:not_found'); // the first one was sent: a new one may wait
    expect(sink.sent).toEqual([{ type: 'pong' }, { type: 'error', n: 0 }, { type: 'error', n: 9 }, { type: 'error', n: 5 }]);
    queue.close();
  });

  it('discards everything after close', () => {
    const sink = new FakeSink();
    const queue = new SendQueue(sink, { maxQueue: 2, slowClientTimeoutMs: 1000, onTooSlow: () => undefined });
    queue.close();
    queue.pushControl({ type: 'pong' });
    expect(sink.sent).toEqual([]);
  });

  describe('with batching', () => {
    const text = (n: number): string => JSON.stringify({ type: 'telemetry', n });
    /** Resolves after the queue's end-of-burst flush (a microtask queued before this one). */
    const endOfBurst = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));
    const batched = (sink: FakeSink, maxQueue = 10, highWaterBytes?: number) => new SendQueue(sink, {
      maxQueue, slowClientTimeoutMs: 60_000, onTooSlow: () => undefined, batch: true, ...(highWaterBytes ? { highWaterBytes } : {}),
    });

    it('sends what one synchronous burst pushed as one array frame of the texts at its end; one message alone', async () => {
      const sink = new FakeSink();
      const queue = batched(sink);
      queue.pushTelemetry('d1', text(0));
      await endOfBurst();
      expect(sink.frames).toEqual([text(0)]); // alone: a plain object
      sink.flush();
      const before = batchCounts();
      queue.pushTelemetry('d1', text(1));
      queue.pushControl({ type: 'pong' });
      queue.pushTelemetry('d2', text(2));
      expect([sink.frames.length, queue.size]).toEqual([1, 3]);
      await endOfBurst();
      expect(sink.frames).toEqual([text(0), `[${text(1)},{"type":"pong"},${text(2)}]`]);
      expect(sink.sent[1]).toEqual([{ type: 'telemetry', n: 1 }, { type: 'pong' }, { type: 'telemetry', n: 2 }]);
      expect(batchCounts()).toEqual({ frames: before.frames + 1, messages: before.messages + 3 });
      expect(queue.size).toBe(0);
      queue.close();
    });

    it('keeps one frame in flight: what is pushed before its write callback goes as one array frame on it', async () => {
      const sink = new FakeSink(); // bufferedAmount stays 0: the OS took each write at once
      const queue = batched(sink);
      queue.pushTelemetry('d1', text(0));
      await endOfBurst();
      queue.pushTelemetry('d2', text(1));
      await endOfBurst();
      queue.pushControl({ type: 'pong' });
      queue.pushTelemetry('d1', text(2));
      await endOfBurst();
      expect([sink.frames, queue.size]).toEqual([[text(0)], 3]);
      sink.flush();
      expect([sink.frames, queue.size]).toEqual([[text(0), `[${text(1)},{"type":"pong"},${text(2)}]`], 0]);
      queue.pushTelemetry('d1', text(3)); // the array is in flight: waits for its callback
      await endOfBurst();
      expect(sink.frames.length).toBe(2);
      sink.flush();
      sink.flush(); // nothing waits: no frame
      expect(sink.frames.slice(2)).toEqual([text(3)]);
      queue.close();
    });

    it('puts the dropped notices first in the array, before what follows them', async () => {
      const sink = new FakeSink();
      const queue = batched(sink, 2);
      queue.pushTelemetry('d1', text(0));
      await endOfBurst();
      sink.blocked = true; // the socket still holds the first frame: the full queue drops the oldest
      for (let n = 1; n <= 5; n++) queue.pushTelemetry(n % 2 ? 'd1' : 'd2', text(n));
      await endOfBurst();
      sink.blocked = false;
      sink.flush();
      expect(sink.sent).toEqual([
        { type: 'telemetry', n: 0 },
        [
          { type: 'dropped', deviceId: 'd1', count: 2 },
          { type: 'dropped', deviceId: 'd2', count: 1 },
          { type: 'telemetry', n: 4 },
          { type: 'telemetry', n: 5 },
        ],
      ]);
      queue.close();
    });

    it('sends a burst longer than the queue below high water at once rather than dropping it', async () => {
      const sink = new FakeSink();
      const queue = batched(sink, 2);
      for (let n = 0; n < 5; n++) queue.pushTelemetry('d', text(n));
      await endOfBurst();
      sink.flush();
      expect(sink.sent).toEqual([[{ type: 'telemetry', n: 0 }, { type: 'telemetry', n: 1 }], [{ type: 'telemetry', n: 2 }, { type: 'telemetry', n: 3 }], { type: 'telemetry', n: 4 }]);
      expect(queue.droppedCount).toBe(0);
      queue.close();
    });

    it('bounds a frame to highWaterBytes characters of messages; a longer message goes alone', async () => {
      const sink = new FakeSink();
      const queue = batched(sink, 20, 100);
      const long = JSON.stringify({ type: 'telemetry', pad: 'x'.repeat(150) });
      for (let n = 10; n < 16; n++) queue.pushTelemetry('d', text(n)); // 27 characters each
      queue.pushTelemetry('d', long);
      queue.pushTelemetry('d', text(16));
      queue.pushTelemetry('d', text(17));
      await endOfBurst();
      for (let i = 0; i < 5; i++) sink.flush();
      expect(sink.frames).toEqual([
        `[${text(10)},${text(11)},${text(12)}]`,
        `[${text(13)},${text(14)},${text(15)}]`,
        long,
        `[${text(16)},${text(17)}]`,
      ]);
      expect(sink.frames.slice(0, 2).every((f) => f.length <= 100)).toBe(true);
      queue.close();
    });

    it('starts batching when turned on later, and sends one object a frame without it', () => {
      const sink = new FakeSink();
      const queue = new SendQueue(sink, { maxQueue: 10, slowClientTimeoutMs: 60_000, onTooSlow: () => undefined });
      sink.blocked = true;
      queue.pushTelemetry('d', text(1));
      queue.pushTelemetry('d', text(2));
      sink.blocked = false;
      sink.flush();
      queue.pushTelemetry('d', text(0)); // in flight: its callback drains what queues next
      sink.blocked = true;
      queue.pushTelemetry('d', text(3));
      queue.pushTelemetry('d', text(4));
      queue.setBatching(true);
      sink.blocked = false;
      sink.flush();
      expect(sink.frames).toEqual([text(1), text(2), text(0), `[${text(3)},${text(4)}]`]);
      queue.close();
    });
  });
});
