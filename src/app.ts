import type { Server } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyHttpOptions, type FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './config/clock.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { authThrottlePlugin } from './plugins/auth-throttle.js';
import { apiDocsPlugin } from './plugins/api-docs.js';
import { authPlugin } from './plugins/auth.js';
import corsPlugin from './plugins/cors.js';
import staticPlugin from './plugins/static.js';
import websocketPlugin from './plugins/websocket.js';
import deviceEventsRoute from './routes/api/device-events.js';
import hubDevicesRoute from './routes/api/hub-devices.js';
import wsRoute from './routes/api/ws.js';
import { errorHandlerPlugin } from './plugins/error-handler.js';
import { clientErrorHandler, frameworkErrors } from './plugins/framework-errors.js';
import { hostCheckPlugin } from './plugins/host-check.js';
import { demandPlugin } from './plugins/demand.js';
import { hubPlugin } from './plugins/hub.js';
import { ingestPlugin } from './plugins/ingest.js';
import { livePlugin } from './plugins/live.js';
import { metricsPlugin } from './plugins/metrics.js';
import { registryPlugin } from './plugins/registry.js';
import { storePlugin } from './plugins/store.js';
import { upgradeRoutesPlugin } from './plugins/upgrade-routes.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { createLogger, redactingChildLoggerFactory } from './plugins/logger.js';
import { RequestLogController } from './plugins/request-log.js';
import { devicesRoutes } from './routes/api/devices.js';
import { hubEventsRoutes } from './routes/api/hub-events.js';
import { registrationRoutes } from './routes/api/registration.js';
import { telemetryRoutes } from './routes/api/telemetry.js';
import { telemetryAggregateRoute } from './routes/api/telemetry-aggregate.js';
import { healthRoutes } from './routes/health.js';
import { asyncApiRoutes } from './routes/docs/asyncapi.js';
import type { Units } from './schemas/devices.js';
import { STATE_DIR_LOCK_WAIT_MS } from './store/embedded/state-dir-lock.js';
import type { TelemetryStore } from './store/telemetry-store.js';
import { metricsRoutes } from './routes/metrics.js';

/** What `buildApp` takes besides the configuration. */
export interface AppDeps {
  /** A pino logger (default: `createLogger(config.logLevel)` on stdout). Tests pass one writing to a buffer. */
  logger?: FastifyBaseLogger;
  /** Devices registered at start besides `DEVICE_ID` (demo mode: the simulated devices). */
  initialDeviceIds?: readonly string[];
  /** Units the initial devices are registered with, by device ID (demo mode: the simulator's). */
  initialDeviceUnits?: Readonly<Record<string, Units>>;
  /** Inactivity sweep period in ms (default 500). */
  sweepIntervalMs?: number;
  /** Time for windows and timeouts (default `systemClock`); tests pass a `FakeClock`. */
  clock?: Clock;
  /** Node's request and header timeouts (default {@link REQUEST_TIMEOUTS}); tests shorten them. */
  requestTimeouts?: RequestTimeouts;
  /** A store opened by the caller instead of the one `STORE` names (tests share one between apps); not closed by the app. */
  store?: TelemetryStore;
  /** Demo mode: the hub is the embedded emulator, whose log is new on every start (default false). */
  demo?: boolean;
}

/** How long a client may take to send a request, in ms: its headers, and the whole request with its body. */
export interface RequestTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/**
 * Default {@link RequestTimeouts}: 10 s for the headers, 30 s for the whole request (a 1 MiB body needs under
 * 300 kbit/s). Past either, Node answers 408 and closes the socket, so a trickling client (slowloris, or a body
 * dripped after a 401) cannot hold a connection; upgraded WebSockets and streaming answers are not affected.
 */
export const REQUEST_TIMEOUTS: RequestTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

/** Fastify's `pluginTimeout` in ms: longer than the longest wait of a plugin at start (STATE_DIR's lock, 15 s). */
export const PLUGIN_TIMEOUT_MS = STATE_DIR_LOCK_WAIT_MS + 15_000;

/**
 * The Fastify options production and tests share: the logger (request URLs with `api_key` and any value holding
 * the key redacted; routine request lines at `debug`, see {@link RequestLogController}), a
 * `maxParamLength` large enough for a URL-encoded 128-character device ID (so a 129-character one reaches validation
 * and gets 400, not 404), a 1 MiB body limit, the request timeouts (`timeouts`, default {@link REQUEST_TIMEOUTS}), and the one error shape for errors raised before routing
 * (`frameworkErrors`, `clientErrorHandler`).
 */
export function buildFastifyOptions(
  config: GatewayConfig,
  logger?: FastifyBaseLogger,
  timeouts: RequestTimeouts = REQUEST_TIMEOUTS,
): FastifyHttpOptions<Server> {
  return {
    requestTimeout: timeouts.requestTimeoutMs,
    // Node checks the timeouts every `connectionsCheckingInterval` ms (default 30 s, far past a short timeout).
    http: { headersTimeout: timeouts.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
    loggerInstance: logger ?? createLogger(config.logLevel),
    logController: new RequestLogController(),
    childLoggerFactory: redactingChildLoggerFactory(config.apiKey),
    routerOptions: { maxParamLength: 1024 },
    bodyLimit: 1024 * 1024,
    forceCloseConnections: true,
    // A plugin may wait this long at start (the store for STATE_DIR's lock): fastify's 10 s default cut that wait
    // short with "Plugin did not start in time" instead of the lock's own message.
    pluginTimeout: PLUGIN_TIMEOUT_MS,
    frameworkErrors,
    clientErrorHandler,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The validated configuration the app was built with. */
    config: GatewayConfig;
  }
}

/**
 * Builds the gateway app (not listening; `server.ts` listens, tests call `listen({ port: 0 })` or `inject`):
 * error model, request guards, the resources (each a named plugin that closes itself, in dependency order: metrics,
 * store, hub, registry, demand, ingest, live), then routes. Keep this a short, explicit list.
 */
export function buildApp(config: GatewayConfig, deps: AppDeps = {}): FastifyInstance {
  const app = Fastify(buildFastifyOptions(config, deps.logger, deps.requestTimeouts)) as unknown as FastifyInstance;
  const clock = deps.clock ?? systemClock;
  app.decorate('config', config);
  void app.register(errorHandlerPlugin);
  // The request guards, in this order: security headers on every answer; the websocket plugin's hooks (they mark
  // upgrade requests, so a refused upgrade's socket is closed); Host (421); throttle (429); CORS preflights; key (401);
  // an upgrade on a route that takes none (400).
  void app.register(securityHeadersPlugin);
  void app.register(websocketPlugin);
  void app.register(hostCheckPlugin, { allowedHosts: config.allowedHosts });
  void app.register(authThrottlePlugin, { limit: config.authFailLimit, windowMs: config.authFailWindowS * 1000, clock });
  void app.register(corsPlugin, { corsOrigins: config.corsOrigins });
  void app.register(authPlugin, { apiKey: config.apiKey, corsOrigins: config.corsOrigins });
  void app.register(upgradeRoutesPlugin);
  // Before every route: it collects them for the OpenAPI document.
  void app.register(apiDocsPlugin);

  void app.register(metricsPlugin);
  void app.register(storePlugin, { config, clock, store: deps.store, demo: deps.demo ?? false });
  void app.register(hubPlugin, { config, clock });
  void app.register(registryPlugin, {
    config, clock, initialDeviceIds: deps.initialDeviceIds ?? [], initialDeviceUnits: deps.initialDeviceUnits ?? {}, sweepIntervalMs: deps.sweepIntervalMs ?? 500,
  });
  void app.register(demandPlugin);
  void app.register(ingestPlugin);
  void app.register(livePlugin, { config, clock });

  void app.register(healthRoutes);
  void app.register(metricsRoutes);
  void app.register(devicesRoutes);
  void app.register(registrationRoutes);
  void app.register(telemetryRoutes);
  void app.register(hubEventsRoutes);
  void app.register(telemetryAggregateRoute);
  void app.register(hubDevicesRoute);
  void app.register(wsRoute);
  void app.register(deviceEventsRoute);
  void app.register(asyncApiRoutes);
  void app.register(staticPlugin);
  return app;
}
