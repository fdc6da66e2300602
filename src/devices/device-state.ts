import type { Observable } from 'rxjs';
import type { Units } from '../schemas/devices.js';
import type { ConnectionState, HubEvent } from '../schemas/live-messages.js';

/**
 * A registered device's lifecycle state:
 * - `registering`: from registration (or reactivation) until the consumer has initialised every partition with the
 *   device watched;
 * - `registered`: watched and being read;
 * - `inactive`: no activity for `INACTIVITY_TIMEOUT` seconds; not watched, nothing stored.
 */
export type DeviceStatus = 'registering' | 'registered' | 'inactive';

/** What the registry knows of one registered device. Times are ISO 8601 UTC strings with milliseconds. */
export interface DeviceState {
  deviceId: string;
  registeredAt: string;
  /** The registration's units (field path → unit); `{}` when none were given. Do not modify. */
  units: Units;
  /** Enqueued time of the device's latest stored message; `null` before one. */
  lastSeen: string | null;
  /** Time of the latest activity (query, registration, subscription); `null` when none yet. */
  lastQueried: string | null;
  status: DeviceStatus;
  /** The device is watched and the hub consumer is healthy. Says nothing about whether the device is online. */
  isConnected: boolean;
  /** The hub's connection state of the device (its last `deviceConnected` / `deviceDisconnected`); `null` when none. */
  connectionState: ConnectionState;
  /** When that state was reported (the event's `operationTimestamp`), ISO 8601 UTC; `null` when none. */
  connectionStateUpdatedAt: string | null;
}

/**
 * A status change pushed to live subscribers. `deviceId` is absent for a hub-wide change (hub connection lost or
 * restored), in which case `status` is the hub consumer state.
 */
export interface StatusEvent {
  deviceId?: string;
  status: string;
  isConnected: boolean;
  /** Why it changed, e.g. `device inactive`, `hub connection lost`, `hub connection restored`. */
  reason: string;
  /** Hub-wide only, when it says more than `reason`: the full one-line description (may name the hub's address). */
  detail?: string;
  /** Set on a device's connection state change (and only then). */
  connectionState?: ConnectionState;
  connectionStateUpdatedAt?: string | null;
}

/** Registry operations used by the REST API and live subscribers. */
export interface DeviceRegistryView {
  get(deviceId: string): DeviceState | undefined;
  list(): DeviceState[];
  /**
   * Records activity (a query): resets the inactivity clock and reactivates an inactive device.
   * @returns the state after the activity, or `undefined` for an unregistered device.
   */
  touch(deviceId: string): DeviceState | undefined;
  /**
   * Holds the device active for as long as a live subscription lasts (counts as activity, reactivates it).
   * @returns a release function (idempotent); after the last release the inactivity clock starts again.
   * @throws Error when the device is not registered.
   */
  holdActive(deviceId: string): () => void;
  /** Device status changes (hub-wide ones come from the hub). */
  readonly status$: Observable<StatusEvent>;
  /** Every hub event kept for a registered device, as it is kept. */
  readonly hubEvents$: Observable<HubEvent>;
}
