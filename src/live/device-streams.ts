import {
  Observable, Subject, Subscription, filter, finalize, groupBy, mergeMap, share, tap, type GroupedObservable,
} from 'rxjs';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';

type DeviceGroup = GroupedObservable<string, TelemetryMessage>;

/**
 * The stored stream split by device, once: a `groupBy` whose group of a device ends when the device stops being
 * watched (`unwatched$` names it). Each group updates the latest-message cache and feeds the live subscribers of its
 * device, so a stored message costs one group lookup whatever the number of devices and subscribers. The cache and
 * the groups hold watched devices only.
 */
export class DeviceStreams {
  private readonly groups = new Map<string, DeviceGroup>();
  private readonly opened = new Subject<DeviceGroup>();
  private readonly cache = new Map<string, TelemetryMessage>();
  private readonly subscription: Subscription;

  /**
   * @param stored$ every stored message, all devices (the ingest pipeline's output); subscribed once, here.
   * @param unwatched$ device IDs that stopped being watched (inactive or unregistered).
   */
  constructor(stored$: Observable<TelemetryMessage>, unwatched$: Observable<string>) {
    const stopped$ = unwatched$.pipe(share());
    this.subscription = stored$
      .pipe(
        groupBy((message) => message.deviceId, { duration: (group) => stopped$.pipe(filter((id) => id === group.key)) }),
        mergeMap((group) => {
          this.groups.set(group.key, group);
          this.opened.next(group);
          return group.pipe(
            tap((message) => this.cache.set(group.key, message)),
            finalize(() => {
              if (this.groups.get(group.key) === group) this.groups.delete(group.key);
              this.cache.delete(group.key);
            }),
          );
        }),
        finalize(() => this.opened.complete()),
      )
      .subscribe();
  }

  /** The device's latest stored message while it is watched and has one since it was; `undefined` otherwise. */
  latest(deviceId: string): TelemetryMessage | undefined {
    return this.cache.get(deviceId);
  }

  /** Devices with an open stream (watched, with a message stored since). */
  get size(): number {
    return this.groups.size;
  }

  /**
   * The device's messages stored from now on, across watch periods (a group that ends is followed by the next one of
   * the same device). Completes when the stored stream completes.
   */
  device$(deviceId: string): Observable<TelemetryMessage> {
    return new Observable<TelemetryMessage>((subscriber) => {
      const inner = new Subscription();
      const attach = (group: DeviceGroup): void => {
        inner.add(group.subscribe({ next: (message) => subscriber.next(message) }));
      };
      const current = this.groups.get(deviceId);
      if (current) attach(current);
      inner.add(
        this.opened.pipe(filter((group) => group.key === deviceId)).subscribe({
          next: attach,
          complete: () => subscriber.complete(),
        }),
      );
      return inner;
    });
  }

  /** Stops reading the stored stream; every `device$` completes. Idempotent. */
  close(): void {
    this.subscription.unsubscribe();
    this.opened.complete();
  }
}
