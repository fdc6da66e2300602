import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { HubView } from '../hub/hub-state.js';
import { toDeviceState, type Entry } from './device-entry.js';
import type { HubEvent } from '../schemas/live-messages.js';
import type { StatusEvent } from './device-state.js';

/** What the registry publishes: the set of watched device IDs and the devices' status changes. */
export class RegistryEvents {
  private readonly watchedSubject = new BehaviorSubject<ReadonlySet<string>>(new Set());
  private readonly statusSubject = new Subject<StatusEvent>();
  private readonly changedSubject = new Subject<void>();
  private readonly hubEventSubject = new Subject<HubEvent>();

  /** Hub events kept for registered devices. */
  readonly hubEvents$: Observable<HubEvent> = this.hubEventSubject.asObservable();

  /** The set of watched device IDs; emits on every membership change (current value first). */
  readonly watched$: Observable<ReadonlySet<string>> = this.watchedSubject.asObservable();
  /** Status changes of devices (registration, reactivation, inactivity, unregistration); hub-wide ones come from the hub. */
  readonly status$: Observable<StatusEvent> = this.statusSubject.asObservable();

  /**
   * Emits (no value) whenever what `list()` answers may have changed: a status event, a device's `lastSeen` or units.
   * Cheap to emit; consumers coalesce.
   */
  readonly changed$: Observable<void> = this.changedSubject.asObservable();

  /** @param hub read where an event's status and `isConnected` are derived. */
  constructor(private readonly hub: HubView) {}

  /** Publishes the watched set (the entries not inactive) when its membership changed. */
  publishWatched(entries: Iterable<Entry>): void {
    const watched = new Set<string>();
    for (const e of entries) if (!e.inactive) watched.add(e.deviceId);
    const current = this.watchedSubject.value;
    if (watched.size === current.size && [...watched].every((id) => current.has(id))) return;
    this.watchedSubject.next(watched);
  }

  /** A status event of the entry as it is now. */
  emit(entry: Entry, reason: string): void {
    const { status, isConnected } = toDeviceState(entry, this.hub);
    this.statusSubject.next({ deviceId: entry.deviceId, status, isConnected, reason });
    this.changed();
  }

  /** A status event of the entry with its new connection state (`reason` `device connected` / `device disconnected`). */
  emitConnection(entry: Entry): void {
    const { status, isConnected, connectionState, connectionStateUpdatedAt } = toDeviceState(entry, this.hub);
    const reason = `device ${connectionState ?? 'connection state unknown'}`;
    this.statusSubject.next({ deviceId: entry.deviceId, status, isConnected, reason, connectionState, connectionStateUpdatedAt });
    this.changed();
  }

  /** Publishes a kept hub event. */
  hubEvent(event: HubEvent): void {
    this.hubEventSubject.next(event);
  }

  /** Tells `changed$` that the device list's contents changed. */
  changed(): void {
    // Called per stored message (`lastSeen`): nothing to do while nobody listens.
    if (this.changedSubject.observed) this.changedSubject.next();
  }

  unregistered(deviceId: string): void {
    this.statusSubject.next({ deviceId, status: 'unregistered', isConnected: false, reason: 'device unregistered' });
    this.changed();
  }

  /** Completes the streams (on shutdown). */
  close(): void {
    this.watchedSubject.complete();
    this.statusSubject.complete();
    this.changedSubject.complete();
    this.hubEventSubject.complete();
  }
}
