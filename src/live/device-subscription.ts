import { filter, type Subscription } from 'rxjs';
import type { DeviceRegistryView, DeviceState, StatusEvent, TelemetryStoreView } from '../devices/device-state.js';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';
import { deviceFeed } from './device-feed.js';

/** The `status` the registry reports when a device is unregistered: live subscriptions to it end after it. */
export const UNREGISTERED = 'unregistered';

/** What a live subscriber (a WebSocket connection or an SSE stream) receives for one device. */
export interface DeviceSubscriber {
  /** Called once, after the hold is taken and before any replayed message, with the device's state at that time. */
  onSubscribed?(state: DeviceState | undefined): void;
  onTelemetry(message: TelemetryMessage): void;
  /** The resume position was not in the history; the whole history follows. */
  onReset(): void;
  /** A status change of this device (hub-wide changes are delivered per connection, not here). */
  onStatus(event: StatusEvent): void;
}

/**
 * Subscribes one live subscriber to one registered device: holds the device active for the subscription's lifetime
 * (issue 4: "subscribing counts as activity"; it reactivates an inactive device), replays from `from` as
 * {@link deviceFeed} describes, and forwards the device's status changes. The handlers run synchronously on the
 * shared pipeline, so they must only queue (never await a socket).
 *
 * @returns an idempotent function that ends the subscription and releases the hold.
 * @throws Error from `registry.holdActive` when the device is not registered (check `registry.get` first).
 */
export function subscribeDevice(
  services: { store: TelemetryStoreView; registry: DeviceRegistryView },
  deviceId: string,
  from: string | undefined,
  subscriber: DeviceSubscriber,
): () => void {
  const release = services.registry.holdActive(deviceId);
  const subscriptions: Subscription[] = [];
  try {
    subscriber.onSubscribed?.(services.registry.get(deviceId));
    subscriptions.push(
      services.registry.status$
        .pipe(filter((event) => event.deviceId === deviceId))
        .subscribe((event) => subscriber.onStatus(event)),
      deviceFeed(services.store, deviceId, from).subscribe((item) =>
        item.kind === 'reset' ? subscriber.onReset() : subscriber.onTelemetry(item.message),
      ),
    );
  } catch (error) {
    for (const s of subscriptions) s.unsubscribe();
    release();
    throw error;
  }
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    for (const s of subscriptions) s.unsubscribe();
    release();
  };
}
