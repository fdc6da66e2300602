import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../../src/app.js';
import type { GatewayConfig } from '../../../src/config/gateway-config.js';
import { captureLogger, removeDir } from '../../integration/support/gateway.js';

/** Request header naming one fuzz request, so the route that answered it can be looked up. */
export const FUZZ_ID_HEADER = 'x-fuzz-id';

/** A route as the app registered it: one method and the route's URL pattern. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/** The real app listening on a free port, with every route it registered and the route each fuzz request matched. */
export interface FuzzGateway {
  app: FastifyInstance;
  url: string;
  port: number;
  config: GatewayConfig;
  /** Every (method, URL pattern) the app registered, collected by an `onRoute` hook before any plugin loaded. */
  routes: RegisteredRoute[];
  /** The URL pattern of the route that answered request `id` (`null`: the not-found handler; `undefined`: never reached fastify). */
  matchedRoute(id: string): string | null | undefined;
  close(): Promise<void>;
}

/**
 * Builds the real app with `config` and `deps`, adds two observing hooks on the root instance before its plugins
 * load (`onRoute`: collect routes; `onResponse`: remember `request.routeOptions.url` by {@link FUZZ_ID_HEADER}), and
 * listens on 127.0.0.1 port 0. The hooks change no answer.
 */
export async function startFuzzGateway(config: GatewayConfig, deps: Omit<AppDeps, 'logger'> = {}): Promise<FuzzGateway> {
  const { logger } = captureLogger('silent');
  const app = buildApp(config, { sweepIntervalMs: 200, ...deps, logger });
  const routes: RegisteredRoute[] = [];
  const matched = new Map<string, string | null>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url ?? route.path });
  });
  // onSend runs before the answer leaves, so the client never reads an answer whose route is not recorded yet.
  app.addHook('onSend', async (request, _reply, payload) => {
    const id = request.headers[FUZZ_ID_HEADER];
    if (typeof id === 'string') matched.set(id, request.routeOptions.url ?? null);
    return payload;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return {
    app, port, config, routes,
    url: `http://127.0.0.1:${port}`,
    matchedRoute: (id) => matched.get(id),
    async close() {
      await app.close();
      removeDir(config.stateDir);
    },
  };
}
