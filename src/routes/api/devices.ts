import type { FastifyInstance } from 'fastify';
import { deviceList } from '../../devices/device-list.js';
import { DevicesReply } from '../../schemas/devices.js';
import { errorResponses } from '../../schemas/openapi.js';

/**
 * `GET /api/devices` → `{ devices: [{ deviceId, registeredAt, lastSeen, status, isConnected, units }], defaultDevice }`
 * (`units` `{}` when the registration has none; `defaultDevice` null without `DEVICE_ID`). Not activity.
 */
export function devicesRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/devices', {
    schema: { tags: ['devices'], summary: 'List the registered devices', response: { 200: DevicesReply, ...errorResponses(401) } },
  }, () =>
    deviceList(app.registry, app.config.defaultDeviceId, app.patterns));
  return Promise.resolve();
}
