import type { Observable } from 'rxjs';
import { NO_HUB, type HubView } from '../hub/hub-state.js';
import type { Units } from '../schemas/devices.js';
import type { HubEvent } from '../schemas/live-messages.js';
import { createEntry, toDeviceState, type Entry } from './device-entry.js';
import type { DeviceRegistryOptions } from './device-registry-options.js';
import type { DeviceState, StatusEvent } from './device-state.js';
import { RegistrationWrites } from './registration-writes.js';
import { RegistryEvents } from './registry-events.js';

/**
 * The entry mechanics under {@link DeviceRegistry}: the entries by device ID, the clock, the observables, and the
 * steps every public operation is made of (add, remove, mark activity, wake, publish the watched set), each emitting
 * its events and sharing activity through the registration writes.
 */
export abstract class RegistryEntries {
  protected readonly entries = new Map<string, Entry>();
  protected readonly events: RegistryEvents;
  protected readonly writes: RegistrationWrites;
  protected readonly now: () => number;
  protected readonly hub: HubView;

  /** The set of watched device IDs; emits on every membership change (current value first). */
  readonly watched$: Observable<ReadonlySet<string>>;
  /** Status changes of devices (registration, reactivation, inactivity, unregistration); hub-wide ones come from the hub. */
  readonly status$: Observable<StatusEvent>;
  /** Emits whenever `list()` may answer differently, the hub's effect on status aside (see `RegistryEvents.changed$`). */
  readonly changed$: Observable<void>;
  /** Hub events kept for registered devices (connection state, twin change, lifecycle), in arrival order. */
  readonly hubEvents$: Observable<HubEvent>;

  protected constructor(protected readonly options: DeviceRegistryOptions) {
    this.now = options.now ?? Date.now;
    this.hub = options.hub ?? NO_HUB;
    this.events = new RegistryEvents(this.hub);
    this.writes = new RegistrationWrites(options);
    this.watched$ = this.events.watched$;
    this.status$ = this.events.status$;
    this.changed$ = this.events.changed$;
    this.hubEvents$ = this.events.hubEvents$;
  }

  protected publish(): void {
    this.events.publishWatched(this.entries.values());
  }

  protected timeoutMs(): number {
    return this.options.inactivityTimeoutS * 1000;
  }

  /** A new registration (here or another instance's): its activity counts as shared already. */
  protected add(deviceId: string, registeredAt: string, units?: Units): Entry {
    const entry = createEntry(deviceId, registeredAt, this.now(), units);
    entry.sharedActivityMs = entry.lastActivityMs;
    this.entries.set(deviceId, entry);
    this.publish();
    this.events.emit(entry, 'device registered');
    return entry;
  }

  protected remove(deviceId: string): boolean {
    if (!this.entries.delete(deviceId)) return false;
    this.publish();
    this.events.unregistered(deviceId);
    return true;
  }

  protected markActivity(entry: Entry): void {
    entry.lastActivityMs = this.now();
    entry.lastQueriedMs = entry.lastActivityMs;
    this.writes.shareActivity(entry);
  }

  protected reactivate(entry: Entry): void {
    this.markActivity(entry);
    this.wake(entry);
  }

  protected wake(entry: Entry): void {
    entry.inactive = false;
    entry.activatedAtMs = this.now();
    this.publish();
    this.events.emit(entry, 'device reactivated');
  }

  protected toState(entry: Entry): DeviceState {
    return toDeviceState(entry, this.hub);
  }
}
