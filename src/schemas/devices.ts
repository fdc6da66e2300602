import { Type, type Static } from '@sinclair/typebox';
import { DeviceIdSchema } from './device-id.js';

const DeviceId = Type.Unsafe<string>(DeviceIdSchema);

/** Path parameters `{ deviceId }` (fastify has already URL-decoded them). */
export const DeviceIdParams = Type.Object({ deviceId: DeviceId });
export type DeviceIdParams = Static<typeof DeviceIdParams>;

/** `POST /api/register-device` body. */
export const RegisterBody = Type.Object({ deviceId: DeviceId });
export type RegisterBody = Static<typeof RegisterBody>;

/** Answer of register / unregister: `{ deviceId, status, message }`. */
export const RegistrationReply = Type.Object({
  deviceId: Type.String(),
  status: Type.String({ description: 'registering | registered | inactive | unregistered' }),
  message: Type.String(),
});

/** One device in `GET /api/devices`. Times ISO 8601 UTC. */
export const DeviceSummary = Type.Object({
  deviceId: Type.String(),
  registeredAt: Type.String(),
  lastSeen: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'registering | registered | inactive' }),
  isConnected: Type.Boolean(),
});

/** `GET /api/devices` answer. */
export const DevicesReply = Type.Object({
  devices: Type.Array(DeviceSummary),
  defaultDevice: Type.Union([Type.String(), Type.Null()]),
});
