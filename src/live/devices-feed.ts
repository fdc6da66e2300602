import type { Observable, Subscription } from 'rxjs';
import type { Clock, ClockTimer } from '../config/clock.js';
import type { DevicesReply } from '../schemas/devices.js';
import type { ServerMessageOf } from '../schemas/live-messages.js';

/** Shortest time between two `devices` messages, shared and per connection, in ms. */
export const DEVICES_INTERVAL_MS = 1000;

/**
 * The `devices` server message, shared by every WebSocket connection: `frame()` is the message text now (serialized
 * once per change, however many connections read it); after a change (`changes$`), listeners hear of it once, at
 * most once every {@link DEVICES_INTERVAL_MS} on the clock, with the newest text.
 */
export class DevicesFeed {
  private text: string | undefined;
  private lastPublishMs = -Infinity;
  private timer: ClockTimer | undefined;
  private readonly listeners = new Set<(text: string) => void>();
  private readonly subscription: Subscription;

  /**
   * @param changes$ emits whenever the device list may have changed (the registry's and the hub's changes).
   * @param snapshot the `GET /api/devices` body now.
   */
  constructor(changes$: Observable<unknown>, private readonly snapshot: () => DevicesReply, private readonly clock: Clock) {
    this.subscription = changes$.subscribe(() => this.changed());
  }

  /** The `devices` message text as the list is now. */
  frame(): string {
    this.text ??= JSON.stringify({ type: 'devices', ...this.snapshot() } satisfies ServerMessageOf<'devices'>);
    return this.text;
  }

  /** Calls `listener` with the newest text after changes (coalesced). @returns an idempotent unsubscribe. */
  listen(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Stops listening to changes and drops every listener (at shutdown). */
  close(): void {
    this.subscription.unsubscribe();
    this.timer?.cancel();
    this.listeners.clear();
  }

  private changed(): void {
    this.text = undefined;
    if (this.timer) return;
    const delay = Math.max(0, this.lastPublishMs + DEVICES_INTERVAL_MS - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.publish(), delay);
  }

  private publish(): void {
    this.timer = undefined;
    this.lastPublishMs = this.clock.now();
    if (this.listeners.size === 0) return;
    const text = this.frame();
    for (const listener of [...this.listeners]) listener(text);
  }
}

/** Where one connection's `devices` messages go: a queue that keeps only the newest pending one. */
export interface DevicesSink {
  pushLatest(kind: string, text: string): void;
}

/**
 * One connection's `devices` messages: the list at once (right after `auth`), then the feed's changes, at most one
 * message every {@link DEVICES_INTERVAL_MS} on the clock (a change sooner waits, and the newest list is sent then);
 * a list equal to the last one sent is not sent again.
 * @returns an idempotent stop function.
 */
export function pushDevices(feed: DevicesFeed, sink: DevicesSink, clock: Clock): () => void {
  let lastSentMs = clock.now();
  let lastText = '';
  let timer: ClockTimer | undefined;
  const send = (text: string): void => {
    if (text === lastText) return; // a change already sent by an earlier message
    lastSentMs = clock.now();
    lastText = text;
    sink.pushLatest('devices', text);
  };
  send(feed.frame());
  const unlisten = feed.listen((text) => {
    if (timer) return;
    const wait = lastSentMs + DEVICES_INTERVAL_MS - clock.now();
    if (wait <= 0) return send(text);
    timer = clock.setTimeout(() => {
      timer = undefined;
      send(feed.frame());
    }, wait);
  });
  return () => {
    unlisten();
    timer?.cancel();
  };
}
