import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { combineLatest, map } from 'rxjs';
import { demandLoop } from '../hub/demand-loop.js';

/** A pattern stands in the watched set as this key (no device ID holds a `/`): it needs the consumer open. */
const PATTERN_DEMAND = 'pattern/';

async function demand(app: FastifyInstance): Promise<void> {
  const { consumer } = app.hub;
  if (!consumer) return;
  const wanted$ = combineLatest([app.registry.watched$, app.patterns.count$]).pipe(
    map(([watched, patterns]) => (patterns === 0 ? watched : new Set([...watched, PATTERN_DEMAND]))),
  );
  const loop = demandLoop(wanted$, { open: (reason) => consumer.open(reason), close: () => consumer.closeIdle() }).subscribe();
  app.addHook('preClose', () => loop.unsubscribe());
  return Promise.resolve();
}

/** The demand loop as a named plugin: the hub consumer is open while a device or a device ID pattern is watched, closed when none is. */
export const demandPlugin = fp(demand, { name: 'demand', fastify: '5.x', dependencies: ['hub', 'registry'] });
