import type { DevicesReply } from '../schemas/devices.js';
import type { DeviceState } from './device-state.js';

/**
 * The `GET /api/devices` body (also the `devices` live message without `type`): every registered device in
 * registration order with `deviceId`, `registeredAt`, `lastSeen`, `status`, `isConnected` and `units` (`{}` when
 * none), and `defaultDevice` (`DEVICE_ID`, or null).
 */
export function deviceList(registry: { list(): DeviceState[] }, defaultDevice: string | null): DevicesReply {
  return {
    devices: registry.list().map(({ deviceId, registeredAt, lastSeen, status, isConnected, units }) => ({
      deviceId, registeredAt, lastSeen, status, isConnected, units,
    })),
    defaultDevice,
  };
}
