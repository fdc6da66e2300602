import type { FastifyPluginCallback } from 'fastify';
import { DiscoveredDevices } from '../../devices/discovered-devices.js';

/**
 * `GET /api/hub/devices` (issue 4, "Discovered devices") → `{ "devices": [{ "deviceId", "lastSeen", "messageCount" }] }`:
 * the device IDs seen on the hub while the consumer was open (registered or not), the most recently seen first,
 * bounded to the 10,000 most recent. Fed by `app.gateway.received$`; `lastSeen` is an enqueued time (ISO 8601 UTC).
 * Guarded by the REST auth hook.
 */
const hubDevicesRoute: FastifyPluginCallback = (app, _options, done) => {
  const discovered = new DiscoveredDevices();
  const subscription = app.gateway.received$.subscribe((message) => discovered.record(message));
  app.addHook('onClose', (_instance, hookDone) => {
    subscription.unsubscribe();
    hookDone();
  });

  app.get('/api/hub/devices', () => ({ devices: discovered.list() }));
  done();
};

export default hubDevicesRoute;
