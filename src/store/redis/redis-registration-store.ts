import type { ChainableCommander, Redis } from 'ioredis';
import { Subject, type Observable } from 'rxjs';
import type { Units } from '../../schemas/devices.js';
import type { RegistrationChange, RegistrationStore, StoredRegistration } from '../registration-store.js';
import type { RedisKeys } from './redis-keys.js';
import type { StoreScripts } from './redis-scripts.js';

/** Runs a MULTI; ioredis reports a failed command inside it in the results, so the first one is thrown. */
async function execOrThrow(multi: ChainableCommander): Promise<void> {
  for (const [error] of (await multi.exec()) ?? []) if (error) throw error;
}

/** What is published on the registrations channel. */
interface Published {
  origin: string;
  change: RegistrationChange;
}

/**
 * The {@link RegistrationStore} in Redis: registrations in one hash (device → registeredAt), their units in another
 * (device → JSON, only for registrations that have some), the cluster-wide last activity in a third (device → ms,
 * only forward). Every change is written and published in one step (MULTI, or a
 * Lua script for activity) with this instance's ID; `changes$` emits what other instances published, in order.
 */
export class RedisRegistrationStore implements RegistrationStore {
  private readonly changes = new Subject<RegistrationChange>();
  readonly changes$: Observable<RegistrationChange> = this.changes.asObservable();

  constructor(
    private readonly client: Redis,
    private readonly scripts: StoreScripts,
    private readonly keys: RedisKeys,
    private readonly instanceId: string,
  ) {}

  /** Takes one published payload of the registrations channel (the subscriber calls it, in delivery order). */
  receive(payload: string): void {
    const { origin, change } = JSON.parse(payload) as Published;
    if (origin !== this.instanceId) this.changes.next(change);
  }

  /** Oldest first (by `registeredAt`, then device ID). */
  async list(): Promise<StoredRegistration[]> {
    const [stored, units] = await Promise.all([this.client.hgetall(this.keys.registrations), this.client.hgetall(this.keys.units)]);
    return Object.entries(stored)
      .map(([deviceId, registeredAt]): StoredRegistration => {
        const json = units[deviceId];
        return json === undefined ? { deviceId, registeredAt } : { deviceId, registeredAt, units: JSON.parse(json) as Units };
      })
      .sort((a, b) => (a.registeredAt === b.registeredAt ? (a.deviceId < b.deviceId ? -1 : 1) : a.registeredAt < b.registeredAt ? -1 : 1));
  }

  async put(registration: StoredRegistration): Promise<void> {
    const { deviceId, registeredAt, units } = registration;
    const multi = this.client.multi().hset(this.keys.registrations, deviceId, registeredAt);
    if (units === undefined) multi.hdel(this.keys.units, deviceId);
    else multi.hset(this.keys.units, deviceId, JSON.stringify(units));
    const change: RegistrationChange = units === undefined ? { type: 'registered', deviceId, registeredAt } : { type: 'registered', deviceId, registeredAt, units };
    await execOrThrow(multi.publish(this.keys.registrationChannel, this.payload(change)));
  }

  async delete(deviceId: string): Promise<void> {
    await execOrThrow(this.client.multi()
      .hdel(this.keys.registrations, deviceId)
      .hdel(this.keys.units, deviceId)
      .hdel(this.keys.activity, deviceId)
      .publish(this.keys.registrationChannel, this.payload({ type: 'unregistered', deviceId })));
  }

  async recordActivity(deviceId: string, atMs: number): Promise<void> {
    const payload = this.payload({ type: 'activity', deviceId, atMs });
    await this.scripts.activity([this.keys.activity], [deviceId, atMs, this.keys.registrationChannel, payload]);
  }

  async activity(): Promise<Map<string, number>> {
    const stored = await this.client.hgetall(this.keys.activity);
    return new Map(Object.entries(stored).map(([deviceId, ms]) => [deviceId, Number(ms)]));
  }

  /** Completes `changes$`. */
  close(): void {
    this.changes.complete();
  }

  private payload(change: RegistrationChange): string {
    return JSON.stringify({ origin: this.instanceId, change } satisfies Published);
  }
}
