import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../config/clock.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { CloseCode } from '../live/close-codes.js';
import { WsConnections } from '../live/ws-connections.js';
import { registerLiveMetrics } from '../live/live-metrics.js';
import type { LiveServices } from '../live/live-services.js';
import { currentHubStatus, statusEvents } from '../live/status-events.js';
import { DevicesFeed } from '../live/devices-feed.js';
import { deviceList } from '../devices/device-list.js';
import { merge } from 'rxjs';
import { LiveAggregates } from '../live/live-aggregates.js';
import { registerAggregateMetrics } from '../live/aggregate-metrics.js';

/** The live resource: what WebSocket and SSE sessions read, and the sessions open now. */
export interface LiveResource {
  services: LiveServices;
  /** Open `/api/ws` connections (capped, heartbeat, closed with 4503 at shutdown). */
  connections: WsConnections;
  /** `end()` of every open SSE stream (ended at shutdown, so the server can close; EventSource reconnects). */
  sseStreams: Set<() => void>;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveResource;
  }
}

/** Options of {@link livePlugin}. */
export interface LivePluginOptions {
  config: GatewayConfig;
  clock: Clock;
}

async function live(app: FastifyInstance, options: LivePluginOptions): Promise<void> {
  const { config, clock } = options;
  const connections = new WsConnections({
    heartbeatIntervalS: config.wsHeartbeatIntervalS,
    maxConnections: config.wsMaxConnections,
    maxPendingAuth: config.wsMaxPendingAuth,
    clock,
  });
  registerLiveMetrics(app.metrics, { connections: () => connections.counts(), queuePeak: () => connections.queuePeak() });
  const sseStreams = new Set<() => void>();
  const status$ = statusEvents(app.registry, app.hub.status$, () => app.hub.view.lastConnectedMs(), app.hub.notices$);
  const devices = new DevicesFeed(merge(app.registry.changed$, app.hub.status$, app.patterns.count$), () => deviceList(app.registry, config.defaultDeviceId, app.patterns), clock);
  const aggregates = new LiveAggregates(app.ingest.streams, clock, config.aggregateGraceS * 1000);
  registerAggregateMetrics(app.metrics, aggregates);
  const services: LiveServices = {
    config, store: app.store, registry: app.registry, streams: app.ingest.streams, status$, devices, aggregates,
    hubStatus: () => currentHubStatus(app.hub.status()),
  };
  app.decorate('live', { services, connections, sseStreams, clock });
  app.addHook('preClose', (done) => {
    connections.closeAll(CloseCode.shuttingDown);
    for (const end of [...sseStreams]) end();
    devices.close();
    done();
  });
  return Promise.resolve();
}

/**
 * Live sessions as a named plugin (`app.live`): the WebSocket connections and SSE streams, their caps and metrics;
 * every session is closed at shutdown (`preClose`: WebSocket 4503, SSE streams ended) before the resources they read.
 */
export const livePlugin = fp(live, { name: 'live', fastify: '5.x', dependencies: ['metrics', 'store', 'hub', 'registry', 'ingest'] });
