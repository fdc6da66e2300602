import type { FastifyInstance } from 'fastify';
import { DevicesReply } from '../../schemas/devices.js';
import { ErrorSchema } from '../../schemas/error.js';

/**
 * `GET /api/devices` → `{ devices: [{ deviceId, registeredAt, lastSeen, status, isConnected }], defaultDevice }`
 * (`defaultDevice` null without `DEVICE_ID`). Not activity.
 */
export function devicesRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/devices', { schema: { response: { 200: DevicesReply, 401: ErrorSchema } } }, () => ({
    devices: app.registry.list().map(({ deviceId, registeredAt, lastSeen, status, isConnected }) => ({
      deviceId, registeredAt, lastSeen, status, isConnected,
    })),
    defaultDevice: app.config.defaultDeviceId,
  }));
  return Promise.resolve();
}
