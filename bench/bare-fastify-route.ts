/**
 * Baseline for REST: a bare fastify app whose `GET /api/telemetry` answers a constant JSON text (the gateway's own
 * answer, captured by the runner, so the size is the same), with no auth, no lookup, no logging.
 * Commands over IPC: `serve` (the constant body) → `{ url }`.
 */
import Fastify from 'fastify';
import { serveIpc } from './lib/ipc-child.js';

const app = Fastify({ logger: false });
let body = '{}';
app.get('/api/telemetry', (_request, reply) => {
  void reply.type('application/json; charset=utf-8').send(body);
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

serveIpc({ url: `http://127.0.0.1:${port}` }, {
  serve: (constant: string) => {
    body = constant;
  },
}, () => app.close());
