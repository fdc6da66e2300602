import type { DeviceRegistryView, TelemetryStoreView } from '../devices/device-state.js';
import { subscribeDevice, UNREGISTERED } from './device-subscription.js';
import type { SendQueue } from './send-queue.js';
import { errorMessage, resetMessage, statusMessage, subscribedMessage } from './server-messages.js';
import { telemetryFrame } from './shared-frames.js';

/**
 * The device subscriptions of one WebSocket connection (issue 4, `subscribe` / `unsubscribe`). Everything it sends
 * goes through the connection's {@link SendQueue}, so the shared pipeline never waits for this client.
 */
export class WsSubscriptions {
  private readonly active = new Map<string, () => void>();

  /**
   * @param services the store and registry (`app.gateway`).
   * @param queue the connection's send queue.
   * @param maxSubscriptions `WS_MAX_SUBSCRIPTIONS`: devices per connection.
   */
  constructor(
    private readonly services: { store: TelemetryStoreView; registry: DeviceRegistryView },
    private readonly queue: SendQueue,
    private readonly maxSubscriptions: number,
  ) {}

  /** Devices this connection is subscribed to. */
  get size(): number {
    return this.active.size;
  }

  /**
   * Subscribes to each device: `subscribed`, then (with a `from` position) the missed messages or `reset` + history,
   * then live `telemetry` and `status` (a `status: "unregistered"` ends the subscription). Subscribing again to a device restarts it from the new `from`. An unknown
   * device gets `error: not_found`; past `maxSubscriptions`, `error: limit_exceeded`. Never throws.
   */
  subscribe(deviceIds: readonly string[], from: ReadonlyMap<string, string>): void {
    for (const deviceId of deviceIds) {
      if (!this.services.registry.get(deviceId)) {
        this.queue.pushControl(errorMessage('not_found', `device "${deviceId}" is not registered`, deviceId));
        continue;
      }
      this.active.get(deviceId)?.();
      this.active.delete(deviceId);
      if (this.active.size >= this.maxSubscriptions) {
        const text = `at most ${this.maxSubscriptions} subscriptions per connection (WS_MAX_SUBSCRIPTIONS)`;
        this.queue.pushControl(errorMessage('limit_exceeded', text, deviceId));
        continue;
      }
      try {
        this.active.set(deviceId, this.subscribeOne(deviceId, from.get(deviceId)));
      } catch {
        this.queue.pushControl(errorMessage('not_found', `device "${deviceId}" is not registered`, deviceId));
      }
    }
  }

  /** Ends the subscriptions to these devices (unknown or not subscribed ones are ignored) and releases their holds. */
  unsubscribe(deviceIds: readonly string[]): void {
    for (const deviceId of deviceIds) {
      this.active.get(deviceId)?.();
      this.active.delete(deviceId);
    }
  }

  /** Ends every subscription (the connection closed). Idempotent. */
  close(): void {
    this.unsubscribe([...this.active.keys()]);
  }

  private subscribeOne(deviceId: string, from: string | undefined): () => void {
    const { store } = this.services;
    return subscribeDevice(this.services, deviceId, from, {
      onSubscribed: (state) => {
        if (state) this.queue.pushControl(subscribedMessage(state, store.latest(deviceId)));
      },
      onReset: () => this.queue.pushControl(resetMessage(deviceId)),
      onTelemetry: (message) => this.queue.pushTelemetry(deviceId, telemetryFrame(message)),
      onStatus: (event) => {
        this.queue.pushControl(statusMessage(event));
        if (event.status === UNREGISTERED) this.unsubscribe([deviceId]);
      },
    });
  }
}
