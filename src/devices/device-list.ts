import type { DevicesReply } from '../schemas/devices.js';
import type { DeviceState } from './device-state.js';

/**
 * The `GET /api/devices` body (also the `devices` live message without `type`): every registered device in
 * registration order with `deviceId`, `registeredAt`, `lastSeen`, `status`, `isConnected`, `units` (`{}` when
 * none), `connectionState` and `connectionStateUpdatedAt` (`null` until the hub reports one), and `defaultDevice` (`DEVICE_ID`, or null).
 */
export function deviceList(registry: { list(): DeviceState[] }, defaultDevice: string | null): DevicesReply {
  return {
    devices: registry.list().map(({ deviceId, registeredAt, lastSeen, status, isConnected, units, connectionState, connectionStateUpdatedAt }) => ({
      deviceId, registeredAt, lastSeen, status, isConnected, units, connectionState, connectionStateUpdatedAt,
    })),
    defaultDevice,
  };
}
