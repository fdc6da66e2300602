import { afterEach, describe, expect, it, vi } from 'vitest';
import { SendQueue, type QueueSink } from '../../../src/live/send-queue.js';

/** A sink whose socket buffer is "full" while `blocked`; flush() runs the pending send callbacks. */
class FakeSink implements QueueSink {
  sent: unknown[] = [];
  blocked = false;
  private callbacks: Array<(error?: Error) => void> = [];
  get bufferedAmount(): number {
    return this.blocked ? 1 << 20 : 0;
  }
  send(data: string, callback: (error?: Error) => void): void {
    this.sent.push(JSON.parse(data));
    this.callbacks.push(callback);
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

  it('discards everything after close', () => {
    const sink = new FakeSink();
    const queue = new SendQueue(sink, { maxQueue: 2, slowClientTimeoutMs: 1000, onTooSlow: () => undefined });
    queue.close();
    queue.pushControl({ type: 'pong' });
    expect(sink.sent).toEqual([]);
  });
});
