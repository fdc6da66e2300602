import { Observable, Subject, Subscription, filter } from 'rxjs';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';

/** The open stream of one watched device: its subject and the key it was opened under. */
interface DeviceGroup {
  key: string;
  subject: Subject<TelemetryMessage>;
  /** The device's latest stored message (the latest-message cache, kept on the group: no second map per message). */
  latest: TelemetryMessage | undefined;
}

/**
 * The stored stream split by device, once: one subscription to the stored stream and a `Map` of per-device subjects
 * (what `groupBy` does, without its per-event operator chain). A device's subject ends when the device stops being
 * watched (`unwatched$` names it); its next stored message opens a new one. Each message updates the latest-message
 * cache (on its group), then feeds the live subscribers of its device, so a stored message costs one map lookup
 * whatever the number of devices and subscribers. The cache and the subjects hold watched devices only.
 */
export class DeviceStreams {
  private readonly groups = new Map<string, DeviceGroup>();
  private readonly opened = new Subject<DeviceGroup>();
  private readonly subscription = new Subscription();

  /**
   * @param stored$ every stored message, all devices (the ingest pipeline's output); subscribed once, here.
   * @param unwatched$ device IDs that stopped being watched (inactive or unregistered).
   */
  constructor(stored$: Observable<TelemetryMessage>, unwatched$: Observable<string>) {
    this.subscription.add(unwatched$.subscribe((id) => this.end(id)));
    this.subscription.add(
      stored$.subscribe({
        next: (message) => this.deliver(message),
        error: () => this.endAll(),
        complete: () => this.endAll(),
      }),
    );
  }

  private deliver(message: TelemetryMessage): void {
    const key = message.deviceId;
    let group = this.groups.get(key);
    if (!group) {
      group = { key, subject: new Subject<TelemetryMessage>(), latest: undefined };
      this.groups.set(key, group);
      this.opened.next(group);
    }
    group.latest = message;
    // Most devices have no live subscriber: a Subject's next costs more than the check.
    if (group.subject.observed) group.subject.next(message);
  }

  /** The device stopped being watched: its stream ends and its latest is forgotten. */
  private end(deviceId: string): void {
    const group = this.groups.get(deviceId);
    if (!group) return;
    this.groups.delete(deviceId);
    group.subject.complete();
  }

  private endAll(): void {
    for (const id of [...this.groups.keys()]) this.end(id);
    this.opened.complete();
  }

  /** The device's latest stored message while it is watched and has one since it was; `undefined` otherwise. */
  latest(deviceId: string): TelemetryMessage | undefined {
    return this.groups.get(deviceId)?.latest;
  }

  /** Devices with an open stream (watched, with a message stored since). */
  get size(): number {
    return this.groups.size;
  }

  /**
   * The device's messages stored from now on, across watch periods (a stream that ends is followed by the next one of
   * the same device). Completes when the stored stream completes.
   */
  device$(deviceId: string): Observable<TelemetryMessage> {
    return new Observable<TelemetryMessage>((subscriber) => {
      const inner = new Subscription();
      const attach = (group: DeviceGroup): void => {
        inner.add(group.subject.subscribe({ next: (message) => subscriber.next(message) }));
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
    this.endAll();
  }
}
