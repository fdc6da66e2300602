import type { GatewayConfig } from '../config/gateway-config.js';
import type { Observable } from 'rxjs';
import type { DeviceRegistryView, StatusEvent } from '../devices/device-state.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { DeviceStreams } from './device-streams.js';
import type { DevicesFeed } from './devices-feed.js';
import type { LiveAggregates } from './live-aggregates.js';

/** What live sessions (WebSocket connections, SSE streams) read: the app's resources, as plugins decorate them. */
export interface LiveServices {
  config: GatewayConfig;
  store: TelemetryStore;
  registry: DeviceRegistryView;
  /** The stored stream split by device. */
  streams: DeviceStreams;
  /** Device and hub-wide status events (see `statusEvents`). */
  status$: Observable<StatusEvent>;
  /** The hub-wide status now, as a client gets it when it starts (see `currentHubStatus`). */
  hubStatus(): StatusEvent;
  /** The `devices` message and its coalesced changes. */
  devices: DevicesFeed;
  /** The shared live aggregators (one per device and aggregate spec). */
  aggregates: LiveAggregates;
}
