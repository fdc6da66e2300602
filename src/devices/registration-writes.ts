import type { Units } from '../schemas/devices.js';
import type { Entry } from './device-entry.js';
import type { DeviceRegistryOptions } from './device-registry-options.js';

/**
 * What the registry writes to its registration store, fire and forget (a rejection goes to `onPersistError`):
 * registrations, unregistrations, and each device's activity, shared at most once per `activityShareIntervalMs`
 * (default 1000 ms) so other instances sharing the store keep it watched. Nothing without a store.
 */
export class RegistrationWrites {
  constructor(private readonly options: Pick<DeviceRegistryOptions, 'registrations' | 'onPersistError' | 'activityShareIntervalMs'>) {}

  /** Stores a registration; `units` only when it has some. */
  put(deviceId: string, registeredAt: string, units: Units): void {
    const registration = Object.keys(units).length === 0 ? { deviceId, registeredAt } : { deviceId, registeredAt, units: { ...units } };
    this.write((r) => r.put(registration));
  }

  delete(deviceId: string): void {
    this.write((r) => r.delete(deviceId));
  }

  /** Shares the entry's activity with the other instances, unless shared within the share interval. */
  shareActivity(entry: Entry): void {
    if (entry.lastActivityMs - entry.sharedActivityMs < (this.options.activityShareIntervalMs ?? 1000)) return;
    entry.sharedActivityMs = entry.lastActivityMs;
    const { deviceId, lastActivityMs } = entry;
    this.write((r) => r.recordActivity(deviceId, lastActivityMs));
  }

  private write(change: (registrations: NonNullable<DeviceRegistryOptions['registrations']>) => Promise<void>): void {
    const { registrations, onPersistError } = this.options;
    if (!registrations) return;
    void change(registrations).catch((error: unknown) => onPersistError?.(error));
  }
}
