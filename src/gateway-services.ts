import type {} from 'fastify';
import type { Observable } from 'rxjs';
import type { GatewayConfig } from './config/gateway-config.js';
import type { DeviceRegistryView, TelemetryStoreView } from './devices/device-state.js';
import type { TelemetryMessage } from './telemetry/telemetry-message.js';

/** The hub consumer's state: `closed` on purpose (no device watched), or the state of the one open consumer. */
export type HubState = 'closed' | 'connecting' | 'connected' | 'error';

/** What the gateway core hands to route plugins, decorated on the fastify instance as `app.gateway`. */
export interface GatewayServices {
  config: GatewayConfig;
  store: TelemetryStoreView;
  registry: DeviceRegistryView;
  /**
   * The device ID and enqueued time of every telemetry message read from the hub, watched or not (the bodies of
   * devices nobody watches are never decoded).
   */
  received$: Observable<Pick<TelemetryMessage, 'deviceId' | 'enqueuedTime'>>;
  /** The hub consumer's current state and, in `error`, why. */
  hubState(): { state: HubState; reason: string | null };
}

declare module 'fastify' {
  interface FastifyInstance {
    gateway: GatewayServices;
  }
}
