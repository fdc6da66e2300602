import type { RegistrationChange, StoredRegistration } from '../store/registration-store.js';
import type { Units } from '../schemas/devices.js';
import type { HubEvent } from '../schemas/live-messages.js';
import { createEntry, replaceUnits } from './device-entry.js';
import type { DeviceRegistryView, DeviceState } from './device-state.js';
import type { DeviceRegistryOptions } from './device-registry-options.js';
import { RegistryEntries } from './registry-entries.js';
import { queryHubEvents, recordHubEvent, type HubEventQuery } from './hub-event-log.js';
import { heardActivity, restoredActivity, sweepEntries } from './entry-activity.js';

export type { DeviceRegistryOptions } from './device-registry-options.js';

/** Outcome of {@link DeviceRegistry.register}. */
export type RegisterOutcome = 'created' | 'reactivated' | 'already-active';

/**
 * Registered devices, their activity and status:
 * `registering` until the hub consumer has every partition initialised with the device watched, `registered` then,
 * `inactive` after `INACTIVITY_TIMEOUT` s without activity (registration, queries, live subscriptions); activity
 * reactivates. `watched$` (registered and not inactive) drives the hub consumer's open/close.
 */
export class DeviceRegistry extends RegistryEntries implements DeviceRegistryView {
  constructor(options: DeviceRegistryOptions) {
    super(options);
  }

  /**
   * Restores persisted registrations as freshly active devices (`registering`; clock starts now). With `activity`
   * (the cluster-wide last activity, ms since epoch, of a shared store), a device whose last activity anywhere is
   * older than `INACTIVITY_TIMEOUT` starts `inactive`, as the other instances see it.
   */
  restore(devices: StoredRegistration[], activity?: ReadonlyMap<string, number>): void {
    for (const d of devices) {
      if (this.entries.has(d.deviceId)) continue;
      const entry = createEntry(d.deviceId, d.registeredAt, this.now(), d.units);
      restoredActivity(entry, activity?.get(d.deviceId), this.now(), this.timeoutMs());
      this.entries.set(d.deviceId, entry);
    }
    this.publish();
  }

  /**
   * Applies a change another instance made (shared store): a registration (its units replace ours) or unregistration
   * (not stored again), or its activity at `atMs`, which resets the inactivity clock and reactivates an inactive
   * device when recent enough.
   */
  apply(change: RegistrationChange): void {
    if (change.type === 'registered') {
      const entry = this.entries.get(change.deviceId);
      if (!entry) this.add(change.deviceId, change.registeredAt, change.units);
      else if (replaceUnits(entry, change.units ?? {})) this.events.changed();
    } else if (change.type === 'unregistered') {
      this.remove(change.deviceId);
    } else {
      const entry = this.entries.get(change.deviceId);
      if (entry && heardActivity(entry, change.atMs, this.now(), this.timeoutMs())) this.wake(entry);
    }
  }

  /**
   * Registers a device, or reactivates it when inactive (both count as activity). `units` given replace the
   * registration's (stored again when they differ); absent, the registration keeps its own.
   * @returns what happened and the state afterwards.
   */
  register(deviceId: string, units?: Units): { outcome: RegisterOutcome; state: DeviceState } {
    const existing = this.entries.get(deviceId);
    if (existing && replaceUnits(existing, units)) {
      this.writes.put(deviceId, existing.registeredAt, existing.units);
      this.events.changed();
    }
    if (existing && !existing.inactive) {
      this.markActivity(existing);
      return { outcome: 'already-active', state: this.toState(existing) };
    }
    if (existing) {
      this.reactivate(existing);
      return { outcome: 'reactivated', state: this.toState(existing) };
    }
    const entry = this.add(deviceId, new Date(this.now()).toISOString(), units);
    this.writes.put(deviceId, entry.registeredAt, entry.units);
    return { outcome: 'created', state: this.toState(entry) };
  }

  /** Removes a registration. @returns false when the device was not registered. */
  unregister(deviceId: string): boolean {
    if (!this.remove(deviceId)) return false;
    this.writes.delete(deviceId);
    return true;
  }

  /** The device's state, or `undefined` when not registered. */
  get(deviceId: string): DeviceState | undefined {
    const entry = this.entries.get(deviceId);
    return entry && this.toState(entry);
  }

  /** Every registered device, in registration order. */
  list(): DeviceState[] {
    return [...this.entries.values()].map((e) => this.toState(e));
  }

  /** How many devices are watched (registered and not inactive), counted without building their states. */
  watchedCount(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (!entry.inactive) n += 1;
    return n;
  }

  /** True when the device is registered and not inactive: its messages are stored. */
  isWatched(deviceId: string): boolean {
    const entry = this.entries.get(deviceId);
    return entry !== undefined && !entry.inactive;
  }

  /** Activity (a query): resets the inactivity clock, reactivates an inactive device; `undefined` when unknown. */
  touch(deviceId: string): DeviceState | undefined {
    const entry = this.entries.get(deviceId);
    if (!entry) return undefined;
    if (entry.inactive) this.reactivate(entry);
    else this.markActivity(entry);
    return this.toState(entry);
  }

  /**
   * Holds the device active while a live subscription lasts. @returns an idempotent release function.
   * @throws Error when the device is not registered.
   */
  holdActive(deviceId: string): () => void {
    const entry = this.entries.get(deviceId);
    if (!entry) throw new Error(`device ${deviceId} is not registered`);
    this.touch(deviceId);
    entry.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.holds -= 1;
      entry.lastActivityMs = this.now();
      this.writes.shareActivity(entry);
    };
  }

  /** Records the enqueued time (ISO 8601) of a stored message as the device's `lastSeen`. */
  recordSeen(deviceId: string, enqueuedTime: string): void {
    const entry = this.entries.get(deviceId);
    if (!entry || (entry.lastSeen !== null && enqueuedTime <= entry.lastSeen)) return;
    entry.lastSeen = enqueuedTime;
    this.events.changed();
  }

  /**
   * Keeps a hub event of a registered device (its bounded history, `HUB_EVENTS_LIMIT`) and publishes it; a newer
   * connection state event that changes the state emits a `status` event. Not activity.
   * @returns false when the device is not registered or the event was kept already (a batch read again).
   */
  recordHubEvent(event: HubEvent): boolean {
    const entry = this.entries.get(event.deviceId);
    if (!entry) return false;
    const outcome = recordHubEvent(entry.hub, event, this.options.hubEventsLimit ?? 100);
    if (outcome === 'duplicate') return false;
    this.events.hubEvent(event);
    if (outcome === 'state-changed') this.events.emitConnection(entry);
    return true;
  }

  /** The device's kept hub events matching `query`, newest first; `undefined` when not registered. */
  hubEvents(deviceId: string, query: HubEventQuery): HubEvent[] | undefined {
    const entry = this.entries.get(deviceId);
    return entry && queryHubEvents(entry.hub, query);
  }

  /** Active devices activated after `ms` (ms since epoch): those still `registering` before a hub connected at `ms`. */
  activatedAfter(ms: number): DeviceState[] {
    return [...this.entries.values()].filter((e) => !e.inactive && e.activatedAtMs > ms).map((e) => this.toState(e));
  }

  /**
   * Turns devices without activity for `INACTIVITY_TIMEOUT` s (and no live subscription) `inactive`. Call at least
   * once a second (the gateway's sweeper does).
   */
  sweep(): void {
    const changed = sweepEntries(this.entries.values(), this.now(), this.timeoutMs(), {
      share: (entry) => this.writes.shareActivity(entry),
      inactive: (entry) => this.events.emit(entry, 'device inactive'),
    });
    if (changed) this.publish();
  }

  /** Completes the observables (on shutdown). */
  close(): void {
    this.events.close();
  }
}
