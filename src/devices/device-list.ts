import type { DevicesReply } from '../schemas/devices.js';
import type { PatternEntry } from './device-patterns.js';
import type { DeviceState } from './device-state.js';

/**
 * The `GET /api/devices` body (also the `devices` live message without `type`): every registered device in
 * registration order with `deviceId`, `registeredAt`, `lastSeen`, `status`, `isConnected` and `units` (`{}` when
 * none), `defaultDevice` (`DEVICE_ID`, or null) and the registered device ID `patterns` (`[]` when none).
 */
export function deviceList(registry: { list(): DeviceState[] }, defaultDevice: string | null, patterns: { list(): PatternEntry[] }): DevicesReply {
  return {
    devices: registry.list().map(({ deviceId, registeredAt, lastSeen, status, isConnected, units }) => ({
      deviceId, registeredAt, lastSeen, status, isConnected, units,
    })),
    defaultDevice,
    patterns: patterns.list(),
  };
}
