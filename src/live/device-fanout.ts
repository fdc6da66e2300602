import { Observable, type Subscription } from 'rxjs';
import type { TelemetryStoreView } from '../devices/device-state.js';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';

type Listener = (message: TelemetryMessage) => void;

/**
 * Splits the store's `stored$` by device for live subscribers: one shared subscription to `stored$` (open while at
 * least one subscriber exists) and a map device ID → listeners, so each stored message costs one lookup instead of
 * one filter call per subscription of every device.
 */
export class DeviceFanout {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();
  private source: Subscription | undefined;

  /** @param stored$ the store's stream of stored messages (all devices). */
  constructor(private readonly stored$: Observable<TelemetryMessage>) {}

  /** The messages of one device from the moment of subscription on; completes when `stored$` completes. */
  device$(deviceId: string): Observable<TelemetryMessage> {
    return new Observable<TelemetryMessage>((subscriber) => {
      const listener: Listener = (message) => subscriber.next(message);
      const closer = (): void => subscriber.complete();
      let set = this.listeners.get(deviceId);
      if (!set) this.listeners.set(deviceId, (set = new Set()));
      set.add(listener);
      this.closers.add(closer);
      if (!this.source || this.source.closed) {
        this.source = this.stored$.subscribe({
          next: (message) => {
            for (const deliver of this.listeners.get(message.deviceId) ?? []) deliver(message);
          },
          complete: () => this.completeAll(),
          error: () => this.completeAll(),
        });
      }
      return () => {
        this.closers.delete(closer);
        set.delete(listener);
        if (set.size === 0) this.listeners.delete(deviceId);
        if (this.listeners.size === 0) {
          this.source?.unsubscribe();
          this.source = undefined;
        }
      };
    });
  }

  private completeAll(): void {
    for (const close of [...this.closers]) close();
  }
}

const fanouts = new WeakMap<TelemetryStoreView, DeviceFanout>();

/** The one {@link DeviceFanout} of a store (created on first use, forgotten with the store). */
export function fanoutFor(store: TelemetryStoreView): DeviceFanout {
  let fanout = fanouts.get(store);
  if (!fanout) fanouts.set(store, (fanout = new DeviceFanout(store.stored$)));
  return fanout;
}
