import type { Observable } from 'rxjs';
import type { Units } from '../schemas/devices.js';

/**
 * One persisted registration. `registeredAt` is ISO 8601 UTC; `units` (field path → unit) is kept as given and
 * absent when the registration has none.
 */
export interface StoredRegistration {
  deviceId: string;
  registeredAt: string;
  units?: Units;
}

/** A copy of a registration sharing nothing with `registration`, with `units` only when it has some. */
export function copyRegistration({ deviceId, registeredAt, units }: StoredRegistration): StoredRegistration {
  return units === undefined ? { deviceId, registeredAt } : { deviceId, registeredAt, units: { ...units } };
}

/**
 * A change of the registrations or of a device's activity made by another gateway instance sharing the store
 * (Redis engine); `atMs` is ms since the epoch.
 */
export type RegistrationChange =
  | { type: 'registered'; deviceId: string; registeredAt: string; units?: Units }
  | { type: 'unregistered'; deviceId: string }
  | { type: 'activity'; deviceId: string; atMs: number };

/**
 * Where registrations are kept, and how instances sharing a store hear of each other's registrations and activity.
 * Single-instance backends (memory, embedded) never emit `changes$` and keep no activity.
 */
export interface RegistrationStore {
  /** Every stored registration, oldest first. */
  list(): Promise<StoredRegistration[]>;
  /** Stores a registration (replacing one of the same device ID). */
  put(registration: StoredRegistration): Promise<void>;
  /** Forgets a registration; nothing happens when there is none. */
  delete(deviceId: string): Promise<void>;
  /**
   * Shares a device's activity at `atMs` (ms since the epoch) with the other instances; at most about once a second
   * per device is called (the registry throttles). A no-op for single-instance backends.
   */
  recordActivity(deviceId: string, atMs: number): Promise<void>;
  /** The last shared activity of every device that has one (ms since the epoch): how a joining instance catches up. */
  activity(): Promise<Map<string, number>>;
  /** Changes made by other instances, in the order they were made; never completes before `close`. */
  readonly changes$: Observable<RegistrationChange>;
}
