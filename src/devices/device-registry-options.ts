import type { HubView } from '../hub/hub-state.js';
import type { RegistrationStore } from '../store/registration-store.js';

/** Options of {@link DeviceRegistry}. */
export interface DeviceRegistryOptions {
  /** `INACTIVITY_TIMEOUT` in SECONDS; 0 = never inactive. */
  inactivityTimeoutS: number;
  /** Clock in ms since epoch (tests may inject one). */
  now?: () => number;
  /** The hub as it is now, read where a device's status or `isConnected` is derived (default: a hub that never connects). */
  hub?: HubView;
  /**
   * Where registrations are kept and activity is shared (the store's {@link RegistrationStore}); default: nowhere.
   * Its rejections go to `onPersistError`.
   */
  registrations?: Pick<RegistrationStore, 'put' | 'delete' | 'recordActivity'>;
  /** Told when the registration store rejected a change (logged by the host). */
  onPersistError?: (error: unknown) => void;
  /** `HUB_EVENTS_LIMIT`: hub events kept per device (default 100). */
  hubEventsLimit?: number;
  /** Shortest time between two shares of one device's activity, in ms. Default 1000. */
  activityShareIntervalMs?: number;
}
