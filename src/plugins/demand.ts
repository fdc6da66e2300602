import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { demandLoop } from '../hub/demand-loop.js';

async function demand(app: FastifyInstance): Promise<void> {
  const { consumer } = app.hub;
  if (!consumer) return;
  const loop = demandLoop(app.registry.watched$, { open: (reason) => consumer.open(reason), close: () => consumer.closeIdle() }).subscribe();
  app.addHook('preClose', () => loop.unsubscribe());
  return Promise.resolve();
}

/** The demand loop as a named plugin: the hub consumer is open while a device is watched, closed when none is. */
export const demandPlugin = fp(demand, { name: 'demand', fastify: '5.x', dependencies: ['hub', 'registry'] });
