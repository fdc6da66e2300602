import type { Clock } from '../config/clock.js';
import type { AggregateSpec } from '../telemetry/aggregate-spec.js';
import type { DeviceStreams } from './device-streams.js';
import { DeviceAggregator, type AggregateEmission } from './device-aggregator.js';

/** At most this many different aggregate specs live per device at once. */
export const MAX_AGGREGATES_PER_DEVICE = 16;

/** Thrown by {@link LiveAggregates.acquire} when a device already has {@link MAX_AGGREGATES_PER_DEVICE} specs. */
export class AggregateLimitError extends Error {
  override readonly name = 'AggregateLimitError';
}

/** A listener's hold on a shared aggregator. */
export interface AggregateLease {
  aggregator: DeviceAggregator;
  /** Detaches the listener; the last one closes the aggregator. Idempotent. */
  release(): void;
}

/**
 * The live aggregators, one per device and canonical spec, shared by every subscriber (ref-counted: created by the
 * first, closed with the last), at most {@link MAX_AGGREGATES_PER_DEVICE} per device. Counts dropped late messages.
 */
export class LiveAggregates {
  private readonly byDevice = new Map<string, Map<string, DeviceAggregator>>();
  /** Messages dropped because their bucket had closed (over the app's life). */
  lateDropped = 0;

  constructor(
    private readonly streams: Pick<DeviceStreams, 'device$'>,
    private readonly clock: Clock,
    private readonly graceMs: number,
  ) {}

  /** Aggregators open now. */
  get size(): number {
    let n = 0;
    for (const specs of this.byDevice.values()) n += specs.size;
    return n;
  }

  /**
   * Attaches `listener` to the device's aggregator for `spec` (created when none).
   * @throws AggregateLimitError when the device has {@link MAX_AGGREGATES_PER_DEVICE} other specs.
   */
  acquire(deviceId: string, spec: AggregateSpec, listener: (emission: AggregateEmission) => void): AggregateLease {
    let specs = this.byDevice.get(deviceId);
    let aggregator = specs?.get(spec.key);
    if (!aggregator) {
      if ((specs?.size ?? 0) >= MAX_AGGREGATES_PER_DEVICE) {
        throw new AggregateLimitError(`at most ${MAX_AGGREGATES_PER_DEVICE} different live aggregates per device`);
      }
      aggregator = new DeviceAggregator(deviceId, spec, {
        live$: this.streams.device$(deviceId), clock: this.clock, graceMs: this.graceMs, onLateDropped: () => void (this.lateDropped += 1),
      });
      if (!specs) this.byDevice.set(deviceId, (specs = new Map<string, DeviceAggregator>()));
      specs.set(spec.key, aggregator);
    }
    const shared = aggregator;
    const unlisten = shared.listen(listener);
    let released = false;
    return {
      aggregator: shared,
      release: () => {
        if (released) return;
        released = true;
        unlisten();
        if (shared.listenerCount > 0) return;
        shared.close();
        const current = this.byDevice.get(deviceId);
        current?.delete(spec.key);
        if (current?.size === 0) this.byDevice.delete(deviceId);
      },
    };
  }
}
