import { NEVER, type Observable } from 'rxjs';
import { copyRegistration, type RegistrationChange, type RegistrationStore, type StoredRegistration } from './registration-store.js';

/**
 * Registrations in this process's memory, in registration order (tests, and the base of the memory engine's file
 * store). One instance only: no activity kept, `changes$` never emits.
 */
export class InMemoryRegistrationStore implements RegistrationStore {
  protected readonly registrations: Map<string, StoredRegistration>;
  readonly changes$: Observable<RegistrationChange> = NEVER;

  /** @param initial registrations to start with, oldest first. */
  constructor(initial: readonly StoredRegistration[] = []) {
    this.registrations = new Map(initial.map((r) => [r.deviceId, copyRegistration(r)]));
  }

  list(): Promise<StoredRegistration[]> {
    return Promise.resolve([...this.registrations.values()].map(copyRegistration));
  }

  put(registration: StoredRegistration): Promise<void> {
    this.registrations.set(registration.deviceId, copyRegistration(registration));
    return Promise.resolve();
  }

  delete(deviceId: string): Promise<void> {
    this.registrations.delete(deviceId);
    return Promise.resolve();
  }

  recordActivity(): Promise<void> {
    return Promise.resolve();
  }

  activity(): Promise<Map<string, number>> {
    return Promise.resolve(new Map<string, number>());
  }
}
