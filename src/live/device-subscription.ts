import { filter, type Subscription } from 'rxjs';
import type { DeviceState, StatusEvent } from '../devices/device-state.js';
import type { HubEvent } from '../schemas/live-messages.js';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';
import { deviceFeed, type FeedItem } from './device-feed.js';
import type { LiveServices } from './live-services.js';
import { SubscribedGate } from './subscribed-gate.js';

/** The `status` the registry reports when a device is unregistered: live subscriptions to it end after it. */
export const UNREGISTERED = 'unregistered';

/** What a live subscriber (a WebSocket connection or an SSE stream) receives for one device. */
export interface DeviceSubscriber {
  /**
   * Called once, before any replayed or live message, with the device's state at subscription time and its latest
   * stored message.
   */
  onSubscribed?(state: DeviceState | undefined, latest: TelemetryMessage | undefined): void;
  onTelemetry(message: TelemetryMessage): void;
  /** The resume position was not in the history; the whole history follows. */
  onReset(): void;
  /** With a resume position: the replay is over (live messages follow). */
  onCaughtUp?(): void;
  /** A status change of this device (hub-wide changes are delivered per connection, not here). */
  onStatus(event: StatusEvent): void;
  /** Given: the device's hub events (connection state, twin change, lifecycle) from subscription on. */
  onHubEvent?(event: HubEvent): void;
}

/**
 * Subscribes one live subscriber to one registered device: holds the device active for the subscription's lifetime
 * (subscribing counts as activity and reactivates an inactive device), reads the latest message (the streams' cache,
 * else the store), replays from `from` as {@link deviceFeed} describes, and forwards the device's status changes.
 * Feed items and status changes that arrive before `onSubscribed` was called wait for it, so the order is always
 * subscribed → replay → live. The handlers run on the shared stream, so they must only queue (never await a socket).
 *
 * @returns an idempotent function that ends the subscription and releases the hold.
 * @throws Error from `registry.holdActive` when the device is not registered (check `registry.get` first).
 */
export function subscribeDevice(
  services: Pick<LiveServices, 'store' | 'registry' | 'streams' | 'status$'>,
  deviceId: string,
  from: string | undefined,
  subscriber: DeviceSubscriber,
): () => void {
  const { store, registry, streams } = services;
  const release = registry.holdActive(deviceId);
  const state = registry.get(deviceId);
  const gate = new SubscribedGate();
  const later = (step: () => void): void => gate.later(step);
  const deliver = (item: FeedItem): void => {
    if (item.kind === 'telemetry') subscriber.onTelemetry(item.message);
    else if (item.kind === 'reset') subscriber.onReset();
    else subscriber.onCaughtUp?.();
  };
  const subscriptions: Subscription[] = [
    services.status$
      .pipe(filter((event) => event.deviceId === deviceId))
      .subscribe((event) => later(() => subscriber.onStatus(event))),
    ...(subscriber.onHubEvent ? [hubEventsOf(registry, deviceId, (event) => later(() => subscriber.onHubEvent?.(event)))] : []),
    deviceFeed({ after: (position) => store.after(deviceId, position), live$: streams.device$(deviceId) }, from).subscribe(
      (item) => later(() => deliver(item)),
    ),
  ];
  gate.announceWhenLatestKnown(services, deviceId, (latest) => subscriber.onSubscribed?.(state, latest));
  return () => {
    if (!gate.end()) return;
    for (const s of subscriptions) s.unsubscribe();
    release();
  };
}

function hubEventsOf(registry: LiveServices['registry'], deviceId: string, next: (event: HubEvent) => void): Subscription {
  return registry.hubEvents$.pipe(filter((event) => event.deviceId === deviceId)).subscribe(next);
}
