import type { FastifyPluginCallback } from 'fastify';
import { HubDevicesReply } from '../../schemas/devices.js';
import { errorResponses } from '../../schemas/openapi.js';

/**
 * `GET /api/hub/devices` → `{ "devices": [{ "deviceId", "lastSeen", "messageCount" }] }`: the device IDs seen on the
 * hub while the consumer was open (registered or not), the most recently seen first, bounded to the 10,000 most
 * recent (`app.ingest.discovered`); `lastSeen` is an enqueued time (ISO 8601 UTC). Needs the key.
 */
const hubDevicesRoute: FastifyPluginCallback = (app, _options, done) => {
  app.get('/api/hub/devices', {
    schema: { tags: ['hub'], summary: 'Device IDs seen on the hub (registered or not)', response: { 200: HubDevicesReply, ...errorResponses(401) } },
  }, () => ({ devices: app.ingest.discovered.list() }));
  done();
};

export default hubDevicesRoute;
