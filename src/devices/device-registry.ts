import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { NO_HUB, type HubView } from '../hub/hub-state.js';
import { createEntry, toDeviceState, type Entry } from './device-entry.js';
import type { DeviceRegistryView, DeviceState, StatusEvent } from './device-state.js';
import type { RegistrationChange, RegistrationStore, StoredRegistration } from '../store/registration-store.js';

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
  /** Shortest time between two shares of one device's activity, in ms. Default 1000. */
  activityShareIntervalMs?: number;
}

/** Outcome of {@link DeviceRegistry.register}. */
export type RegisterOutcome = 'created' | 'reactivated' | 'already-active';

/**
 * Registered devices, their activity and status:
 * `registering` until the hub consumer has every partition initialised with the device watched, `registered` then,
 * `inactive` after `INACTIVITY_TIMEOUT` s without activity (registration, queries, live subscriptions); activity
 * reactivates. `watched$` (registered and not inactive) drives the hub consumer's open/close.
 */
export class DeviceRegistry implements DeviceRegistryView {
  private readonly entries = new Map<string, Entry>();
  private readonly watchedSubject = new BehaviorSubject<ReadonlySet<string>>(new Set());
  private readonly statusSubject = new Subject<StatusEvent>();
  private readonly now: () => number;
  private readonly hub: HubView;

  /** The set of watched device IDs; emits on every membership change (current value first). */
  readonly watched$: Observable<ReadonlySet<string>> = this.watchedSubject.asObservable();
  /** Status changes of devices (registration, reactivation, inactivity, unregistration); hub-wide ones come from the hub. */
  readonly status$: Observable<StatusEvent> = this.statusSubject.asObservable();

  constructor(private readonly options: DeviceRegistryOptions) {
    this.now = options.now ?? Date.now;
    this.hub = options.hub ?? NO_HUB;
  }

  /**
   * Restores persisted registrations as freshly active devices (`registering`; clock starts now). With `activity`
   * (the cluster-wide last activity, ms since epoch, of a shared store), a device whose last activity anywhere is
   * older than `INACTIVITY_TIMEOUT` starts `inactive`, as the other instances see it.
   */
  restore(devices: StoredRegistration[], activity?: ReadonlyMap<string, number>): void {
    const timeoutMs = this.options.inactivityTimeoutS * 1000;
    const now = this.now();
    for (const d of devices) {
      if (this.entries.has(d.deviceId)) continue;
      const entry = this.newEntry(d.deviceId, d.registeredAt);
      const atMs = activity?.get(d.deviceId);
      if (atMs !== undefined && timeoutMs > 0) {
        entry.lastActivityMs = Math.min(now, atMs);
        entry.inactive = now - atMs >= timeoutMs;
      }
      this.entries.set(d.deviceId, entry);
    }
    this.publishWatched();
  }

  /**
   * Applies a change another instance made (shared store): a registration or unregistration (not stored again), or
   * its activity at `atMs`, which resets the inactivity clock and reactivates an inactive device when recent enough.
   */
  apply(change: RegistrationChange): void {
    if (change.type === 'registered') {
      if (this.entries.has(change.deviceId)) return;
      const entry = this.newEntry(change.deviceId, change.registeredAt);
      entry.sharedActivityMs = entry.lastActivityMs;
      this.entries.set(change.deviceId, entry);
      this.publishWatched();
      this.emit(entry, 'device registered');
    } else if (change.type === 'unregistered') {
      if (!this.entries.delete(change.deviceId)) return;
      this.publishWatched();
      this.statusSubject.next({ deviceId: change.deviceId, status: 'unregistered', isConnected: false, reason: 'device unregistered' });
    } else {
      const entry = this.entries.get(change.deviceId);
      if (!entry || change.atMs <= entry.lastActivityMs) return;
      const now = this.now();
      const timeoutMs = this.options.inactivityTimeoutS * 1000;
      entry.lastActivityMs = Math.min(now, change.atMs);
      // Heard from the cluster: not shared back.
      entry.sharedActivityMs = now;
      if (entry.inactive && (timeoutMs <= 0 || now - entry.lastActivityMs < timeoutMs)) {
        entry.inactive = false;
        entry.activatedAtMs = now;
        this.publishWatched();
        this.emit(entry, 'device reactivated');
      }
    }
  }

  /**
   * Registers a device, or reactivates it when inactive (both count as activity).
   * @returns what happened and the state afterwards.
   */
  register(deviceId: string): { outcome: RegisterOutcome; state: DeviceState } {
    const existing = this.entries.get(deviceId);
    if (existing && !existing.inactive) {
      this.markActivity(existing);
      return { outcome: 'already-active', state: this.toState(existing) };
    }
    if (existing) {
      this.reactivate(existing);
      return { outcome: 'reactivated', state: this.toState(existing) };
    }
    const entry = this.newEntry(deviceId, new Date(this.now()).toISOString());
    this.entries.set(deviceId, entry);
    this.store((r) => r.put({ deviceId, registeredAt: entry.registeredAt }));
    entry.sharedActivityMs = entry.lastActivityMs;
    this.publishWatched();
    this.emit(entry, 'device registered');
    return { outcome: 'created', state: this.toState(entry) };
  }

  /** Removes a registration. @returns false when the device was not registered. */
  unregister(deviceId: string): boolean {
    if (!this.entries.delete(deviceId)) return false;
    this.store((r) => r.delete(deviceId));
    this.publishWatched();
    this.statusSubject.next({ deviceId, status: 'unregistered', isConnected: false, reason: 'device unregistered' });
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
      this.share(entry);
    };
  }

  /** Records the enqueued time (ISO 8601) of a stored message as the device's `lastSeen`. */
  recordSeen(deviceId: string, enqueuedTime: string): void {
    const entry = this.entries.get(deviceId);
    if (entry && (entry.lastSeen === null || enqueuedTime > entry.lastSeen)) entry.lastSeen = enqueuedTime;
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
    const timeoutMs = this.options.inactivityTimeoutS * 1000;
    if (timeoutMs <= 0) return;
    const now = this.now();
    let changed = false;
    for (const entry of this.entries.values()) {
      if (entry.holds > 0 && !entry.inactive) {
        // A live subscription is activity: the other instances hear of it, at most once per share interval.
        entry.lastActivityMs = now;
        this.share(entry);
      }
      if (entry.inactive || entry.holds > 0 || now - entry.lastActivityMs < timeoutMs) continue;
      entry.inactive = true;
      changed = true;
      this.emit(entry, 'device inactive');
    }
    if (changed) this.publishWatched();
  }

  /** Completes the observables (on shutdown). */
  close(): void {
    this.watchedSubject.complete();
    this.statusSubject.complete();
  }

  private newEntry(deviceId: string, registeredAt: string): Entry {
    return createEntry(deviceId, registeredAt, this.now());
  }

  private markActivity(entry: Entry): void {
    entry.lastActivityMs = this.now();
    entry.lastQueriedMs = entry.lastActivityMs;
    this.share(entry);
  }

  /** Shares the entry's activity with the other instances, unless shared within the share interval. */
  private share(entry: Entry): void {
    if (entry.lastActivityMs - entry.sharedActivityMs < (this.options.activityShareIntervalMs ?? 1000)) return;
    entry.sharedActivityMs = entry.lastActivityMs;
    const { deviceId, lastActivityMs } = entry;
    this.store((r) => r.recordActivity(deviceId, lastActivityMs));
  }

  private reactivate(entry: Entry): void {
    this.markActivity(entry);
    entry.inactive = false;
    entry.activatedAtMs = this.now();
    this.publishWatched();
    this.emit(entry, 'device reactivated');
  }

  private toState(entry: Entry): DeviceState {
    return toDeviceState(entry, this.hub);
  }

  private emit(entry: Entry, reason: string): void {
    const { status, isConnected } = toDeviceState(entry, this.hub);
    this.statusSubject.next({ deviceId: entry.deviceId, status, isConnected, reason });
  }

  private publishWatched(): void {
    const watched = new Set<string>();
    for (const e of this.entries.values()) if (!e.inactive) watched.add(e.deviceId);
    const current = this.watchedSubject.value;
    if (watched.size === current.size && [...watched].every((id) => current.has(id))) return;
    this.watchedSubject.next(watched);
  }

  private store(change: (registrations: NonNullable<DeviceRegistryOptions['registrations']>) => Promise<void>): void {
    const { registrations, onPersistError } = this.options;
    if (!registrations) return;
    void change(registrations).catch((error: unknown) => onPersistError?.(error));
  }
}
