import { SendQueue } from '../../../src/live/send-queue.js';
import { WsSubscriptions } from '../../../src/live/ws-subscriptions.js';

/** The largest size each per-connection structure reached since the last {@link CapProbe.reset}. */
export interface CapReadings {
  /** Largest `SendQueue.size` (messages waiting for one socket). */
  maxQueue: number;
  /** Largest `WsSubscriptions.size` (devices one connection subscribed to). */
  maxSubscriptions: number;
}

/**
 * Reads the per-connection caps from the app's own objects, since the app exposes no counter for them: wraps the
 * public `pushControl`/`pushTelemetry` of `SendQueue` and `subscribe` of `WsSubscriptions` (prototype methods, so
 * every connection of an app in this process is seen) to read their public `size` after each call. Behaviour is
 * unchanged. `uninstall()` restores the methods.
 */
export class CapProbe {
  private readings: CapReadings = { maxQueue: 0, maxSubscriptions: 0 };
  private readonly restore: Array<() => void> = [];

  install(): void {
    this.wrap(SendQueue.prototype, 'pushControl', (queue) => this.note('maxQueue', queue.size));
    this.wrap(SendQueue.prototype, 'pushTelemetry', (queue) => this.note('maxQueue', queue.size));
    this.wrap(WsSubscriptions.prototype, 'subscribe', (subs) => this.note('maxSubscriptions', subs.size));
  }

  uninstall(): void {
    for (const undo of this.restore.splice(0)) undo();
  }

  /** Readings since the last reset; resets them. */
  take(): CapReadings {
    const readings = this.readings;
    this.readings = { maxQueue: 0, maxSubscriptions: 0 };
    return readings;
  }

  private note(key: keyof CapReadings, size: number): void {
    this.readings[key] = Math.max(this.readings[key], size);
  }

  private wrap<T extends object, K extends keyof T>(proto: T, name: K, after: (self: T) => void): void {
    const original = proto[name] as unknown as (...args: unknown[]) => unknown;
    proto[name] = function (this: T, ...args: unknown[]) {
      const result = original.apply(this, args);
      after(this);
      return result;
    } as unknown as T[K];
    this.restore.push(() => (proto[name] = original as unknown as T[K]));
  }
}
