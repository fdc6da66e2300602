import type { CheckpointScope } from '../telemetry-store.js';

/** The key prefix of a gateway deployment when none is configured. */
export const DEFAULT_KEY_PREFIX = 'gw:';

/**
 * The Redis key names of the Redis engine, all under one prefix (so several deployments can share a server, and a
 * test can use its own): per device `hist:` (list of message JSON, oldest first), `idx:` (sorted set: position →
 * ordinal), `n:` (ordinal of the device's last stored message), `seq:` (hash: partition → highest stored sequence
 * number); per consumer scope `cp:` (hash: partition → checkpoint JSON) and `own:` (hash: partition → ownership
 * JSON); `idle`, `lock:reopen`, `reg` (hash: device → registeredAt), `units` (hash: device → units JSON, for registrations that have some), `act` (hash: device → last activity ms); and
 * the pub/sub channels `telemetry` and `registrations`.
 */
export class RedisKeys {
  /**
   * @param prefix prepended to every key and channel (default {@link DEFAULT_KEY_PREFIX}).
   * @param hub `<namespace host>/<event hub>`: the registration keys and channel (`reg`, `units`, `act`,
   *   `registrations`) get `@<hub>`, so one hub's registrations never show on another; `null`: none in particular.
   */
  constructor(readonly prefix: string = DEFAULT_KEY_PREFIX, readonly hub: string | null = null) {}

  /** The registration keys of no hub in particular (earlier versions), in the order of {@link RedisKeys.hubRegistrationKeys}. */
  get unscopedRegistrationKeys(): [string, string, string] {
    return [`${this.prefix}reg`, `${this.prefix}units`, `${this.prefix}act`];
  }

  /** This hub's registration keys: registrations, units, activity. */
  get hubRegistrationKeys(): [string, string, string] {
    return [this.registrations, this.units, this.activity];
  }

  private scoped(name: string): string {
    return this.hub === null ? `${this.prefix}${name}` : `${this.prefix}${name}@${this.hub}`;
  }

  /** The four keys of one device, in the order the scripts take them: history, index, ordinal, sequences. */
  device(deviceId: string): [string, string, string, string] {
    const p = this.prefix;
    return [`${p}hist:${deviceId}`, `${p}idx:${deviceId}`, `${p}n:${deviceId}`, `${p}seq:${deviceId}`];
  }

  checkpoints(scope: CheckpointScope): string {
    return `${this.prefix}cp:${scopeName(scope)}`;
  }

  ownerships(scope: CheckpointScope): string {
    return `${this.prefix}own:${scopeName(scope)}`;
  }

  get idle(): string {
    return `${this.prefix}idle`;
  }

  get reopenLock(): string {
    return `${this.prefix}lock:reopen`;
  }

  get registrations(): string {
    return this.scoped('reg');
  }

  get units(): string {
    return this.scoped('units');
  }

  get activity(): string {
    return this.scoped('act');
  }

  get telemetryChannel(): string {
    return `${this.prefix}telemetry`;
  }

  get registrationChannel(): string {
    return this.scoped('registrations');
  }
}

/** `<namespace>/<event hub>/<consumer group>`: none of the three holds a `/`. */
function scopeName(scope: CheckpointScope): string {
  return `${scope.fullyQualifiedNamespace}/${scope.eventHubName}/${scope.consumerGroup}`;
}
