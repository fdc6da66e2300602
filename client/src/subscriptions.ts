import type { SubscribeOptions } from './messages.js';
import { MAX_TRACKED_DEVICES, type ResumePositions } from './resume-positions.js';

export type { SubscribeOptions };

/** A subscription's options without `from` (positions are kept apart, per device). */
type Spec = Omit<SubscribeOptions, 'from'>;

/** A `subscribe` message as the gateway reads it. */
export interface SubscribeMessage extends Spec {
  type: 'subscribe';
  deviceIds?: string[];
  from?: Record<string, string>;
}

/**
 * What the client is subscribed to, to subscribe again after a reconnect: options per device, and per
 * `deviceIdPattern`. Bounded by {@link MAX_TRACKED_DEVICES}.
 */
export class Subscriptions {
  private readonly devices = new Map<string, string>(); // deviceId → options as JSON
  private readonly patterns = new Map<string, Spec>();

  /** Records a subscription. @throws RangeError past {@link MAX_TRACKED_DEVICES} devices or patterns. */
  add(deviceIds: readonly string[], spec: Spec): void {
    const fresh = deviceIds.filter((id) => !this.devices.has(id)).length + (spec.deviceIdPattern ? 1 : 0);
    if (this.devices.size + this.patterns.size + fresh > MAX_TRACKED_DEVICES) throw new RangeError(`at most ${MAX_TRACKED_DEVICES} subscriptions`);
    for (const id of deviceIds) this.devices.set(id, JSON.stringify(spec));
    if (spec.deviceIdPattern) this.patterns.set(spec.deviceIdPattern, spec);
  }

  /** Forgets devices. */
  remove(deviceIds: readonly string[]): void {
    for (const id of deviceIds) this.devices.delete(id);
  }

  /**
   * The `subscribe` message for these devices and options, each device resuming from its known position (with a
   * pattern: every known position of a device not subscribed by ID).
   */
  message(deviceIds: readonly string[], spec: Spec, positions: ResumePositions): SubscribeMessage {
    const from: Record<string, string> = {};
    const known = spec.deviceIdPattern ? positions.entries().filter(([id]) => !this.devices.has(id)) : [];
    for (const id of deviceIds) {
      const position = positions.get(id);
      if (position !== undefined) known.push([id, position]);
    }
    for (const [id, position] of known) from[id] = position;
    return {
      type: 'subscribe',
      ...(deviceIds.length > 0 ? { deviceIds: [...deviceIds] } : {}),
      ...(Object.keys(from).length > 0 ? { from } : {}),
      ...spec,
    };
  }

  /** Every subscription as messages (devices with the same options share one). */
  messages(positions: ResumePositions): SubscribeMessage[] {
    const groups = new Map<string, string[]>();
    for (const [id, json] of this.devices) {
      if (!groups.has(json)) groups.set(json, []);
      groups.get(json)?.push(id);
    }
    const out = [...groups].map(([json, ids]) => {
      const spec = JSON.parse(json) as Spec;
      delete spec.deviceIdPattern; // the pattern's own message below carries it
      return this.message(ids, spec, positions);
    });
    for (const spec of this.patterns.values()) out.push(this.message([], spec, positions));
    return out;
  }
}
