import type { Checkpoint } from '@azure/event-hubs';
import type { Redis } from 'ioredis';
import type { Observable } from 'rxjs';
import { positionOf, type TelemetryMessage } from '../../telemetry/telemetry-message.js';
import type { RegistrationStore } from '../registration-store.js';
import type { HistoryQuery, ResumeResult, TelemetryStore } from '../telemetry-store.js';
import { BoundedFeed } from './bounded-feed.js';
import type { RedisCheckpointStore } from './redis-checkpoint-store.js';
import type { RedisKeys } from './redis-keys.js';
import type { StoreScripts } from './redis-scripts.js';

/** What a {@link RedisTelemetryStore} is made of (`open-redis-store.ts` builds it). */
export interface RedisTelemetryStoreParts {
  /** The command connection (not the subscriber). */
  client: Redis;
  scripts: StoreScripts;
  keys: RedisKeys;
  /** Messages kept per device (`HISTORY_LIMIT`), ≥ 1. */
  historyLimit: number;
  /** This instance's ID: published with what it stores, so its own messages are not taken back as remote. */
  instanceId: string;
  checkpointStore: RedisCheckpointStore;
  registrations: RegistrationStore;
  /** Remote messages waiting for the consumer, at most; more are dropped with a warning. */
  remoteCapacity: number;
  onRemoteDrop(dropped: number, total: number): void;
  /** Closes the connections (after the store's own resources). */
  closeConnections(): Promise<void>;
}

const parse = (json: string): TelemetryMessage => JSON.parse(json) as TelemetryMessage;
const time = (m: TelemetryMessage): number => Date.parse(m.enqueuedTime);

/**
 * The {@link TelemetryStore} in Redis, shared by every gateway instance using the same server and key prefix: per
 * device a list of message JSON (oldest first, at most `historyLimit`), a sorted set position → ordinal (exact
 * resume positions) and the highest stored sequence number per partition (dedupe across instances and partition
 * handovers). `append` is one Lua script (atomic: messages, forward-only checkpoints, and a PUBLISH of what it
 * stored). `remote$` is what other instances published, from the subscriber connection, through a bounded feed.
 * Follows the contract suite in `test/unit/store/telemetry-store-contract.ts`.
 */
export class RedisTelemetryStore implements TelemetryStore {
  private readonly feed: BoundedFeed<TelemetryMessage>;
  private readonly ownPrefix: string;
  private closing: Promise<void> | null = null;
  readonly checkpointStore: RedisCheckpointStore;
  readonly registrations: RegistrationStore;
  readonly remote$: Observable<TelemetryMessage>;

  constructor(private readonly parts: RedisTelemetryStoreParts) {
    this.checkpointStore = parts.checkpointStore;
    this.registrations = parts.registrations;
    this.feed = new BoundedFeed({ capacity: parts.remoteCapacity, onDrop: (dropped, total) => parts.onRemoteDrop(dropped, total) });
    this.remote$ = this.feed.items$;
    // The payload is the JSON array `[origin, [message JSON…]]`; an own one is recognised without parsing it.
    this.ownPrefix = `[${JSON.stringify(parts.instanceId)},`;
  }

  /** Remote messages dropped so far because the consumer lagged. */
  get remoteDropped(): number {
    return this.feed.dropped;
  }

  /** Takes one published payload of the telemetry channel (the subscriber calls it, in delivery order). */
  receive(payload: string): void {
    if (payload.startsWith(this.ownPrefix)) return;
    const [, messages] = JSON.parse(payload) as [string, string[]];
    for (const json of messages) this.feed.push(parse(json));
  }

  async append(messages: readonly TelemetryMessage[], checkpoints: readonly Checkpoint[]): Promise<TelemetryMessage[]> {
    if (messages.length === 0 && checkpoints.length === 0) return [];
    const { keys } = this.parts;
    const deviceNumbers = new Map<string, number>();
    const scriptKeys: string[] = [];
    const args: (string | number)[] = [];
    for (const m of messages) {
      let d = deviceNumbers.get(m.deviceId);
      if (d === undefined) {
        deviceNumbers.set(m.deviceId, (d = deviceNumbers.size + 1));
        scriptKeys.push(...keys.device(m.deviceId));
      }
      args.push(d, m.partitionId, m.sequenceNumber, positionOf(m), JSON.stringify(m));
    }
    for (const c of checkpoints) {
      scriptKeys.push(keys.checkpoints(c));
      args.push(c.partitionId, c.sequenceNumber, JSON.stringify(c));
    }
    const header = [this.parts.historyLimit, this.parts.instanceId, keys.telemetryChannel, deviceNumbers.size, messages.length];
    const stored = (await this.parts.scripts.append(scriptKeys, [...header, ...args])) as number[];
    return stored.map((i) => messages[i - 1] as TelemetryMessage);
  }

  async latest(deviceId: string): Promise<TelemetryMessage | undefined> {
    const json = await this.parts.client.lindex(this.parts.keys.device(deviceId)[0], -1);
    return json === null ? undefined : parse(json);
  }

  async history(deviceId: string, query: HistoryQuery): Promise<TelemetryMessage[]> {
    const [history] = this.parts.keys.device(deviceId);
    const limit = Math.min(query.limit, this.parts.historyLimit);
    if (query.since === undefined && query.until === undefined) {
      return (await this.parts.client.lrange(history, -limit, -1)).reverse().map(parse);
    }
    // Times: the held history (at most the limit) scanned newest first, as the memory engine does.
    const items = await this.parts.client.lrange(history, -this.parts.historyLimit, -1);
    const since = query.since === undefined ? -Infinity : Date.parse(query.since);
    const until = query.until === undefined ? Infinity : Date.parse(query.until);
    const found: TelemetryMessage[] = [];
    for (let i = items.length - 1; i >= 0 && found.length < limit; i -= 1) {
      const message = parse(items[i] as string);
      const t = time(message);
      if (t > until) continue;
      if (t < since) break;
      found.push(message);
    }
    return found;
  }

  async after(deviceId: string, position: string): Promise<ResumeResult> {
    const [history, index, ordinal] = this.parts.keys.device(deviceId);
    const [held, items] = (await this.parts.scripts.after([history, index, ordinal], [position])) as [number, string[]];
    return { found: held === 1, messages: items.map(parse) };
  }

  async remove(deviceId: string): Promise<void> {
    await this.parts.client.del(...this.parts.keys.device(deviceId));
  }

  /** Stops the remote feed and closes both connections (idempotent). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.feed.close();
      await this.parts.closeConnections();
    })();
    return this.closing;
  }
}
