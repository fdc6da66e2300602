import type { FastifyInstance } from 'fastify';
import { deviceList } from '../../devices/device-list.js';
import { DevicesReply } from '../../schemas/devices.js';
import { ErrorSchema } from '../../schemas/error.js';

/**
 * `GET /api/devices` → `{ devices: [{ deviceId, registeredAt, lastSeen, status, isConnected, units }], defaultDevice, patterns }`
 * (`units` `{}` when the registration has none; `defaultDevice` null without `DEVICE_ID`). Not activity.
 */
export function devicesRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/devices', { schema: { response: { 200: DevicesReply, 401: ErrorSchema } } }, () =>
    deviceList(app.registry, app.config.defaultDeviceId, app.patterns));
  return Promise.resolve();
}
