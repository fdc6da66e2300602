import { AggregateSpecError, aggregateSpec, type AggregateSpec } from '../telemetry/aggregate-spec.js';
import { subscribeAggregate } from './aggregate-subscription.js';
import type { SubscribeOptions } from './client-messages.js';
import { subscribeDevice, UNREGISTERED } from './device-subscription.js';
import { AggregateLimitError } from './live-aggregates.js';
import type { LiveServices } from './live-services.js';
import type { SendQueue } from './send-queue.js';
import { errorMessage, refusedMessage, resetMessage, statusMessage, subscribedMessage, type LiveErrorCode } from './server-messages.js';
import { fieldSelection, withSelectedBody, type FieldSelection } from '../telemetry/field-selection.js';
import { telemetryFrame } from './shared-frames.js';
import { WsPatternWatch } from './ws-pattern-watch.js';
import { moduleFilter } from '../telemetry/module-filter.js';

/**
 * The device subscriptions of one WebSocket connection (`subscribe` / `unsubscribe` messages). Everything it sends
 * goes through the connection's {@link SendQueue}, so the shared pipeline never waits for this client.
 */
export class WsSubscriptions {
  private readonly active = new Map<string, () => void>();
  private readonly patterns: WsPatternWatch;

  /**
   * @param services the store, registry and device streams.
   * @param queue the connection's send queue.
   * @param maxSubscriptions `WS_MAX_SUBSCRIPTIONS`: devices per connection.
   */
  constructor(
    private readonly services: Pick<LiveServices, 'store' | 'registry' | 'streams' | 'status$' | 'aggregates'>,
    private readonly queue: SendQueue,
    private readonly maxSubscriptions: number,
  ) {
    this.patterns = new WsPatternWatch(services.registry, services.status$, (ids, options) => this.subscribe(ids.filter((id) => !this.active.has(id)), new Map(), options));
  }

  /** Devices this connection is subscribed to. */
  get size(): number {
    return this.active.size;
  }

  /**
   * Subscribes to each device: `subscribed`, then (with a `from` position) the missed messages or `reset` + history,
   * then live `telemetry` and `status` (a `status: "unregistered"` ends the subscription). Subscribing again to a
   * device restarts it from the new `from`. Unknown devices get one `error: not_found` listing them, those past
   * `maxSubscriptions` one `error: limit_exceeded` listing them (IDs past the first `maxSubscriptions` of a request
   * are not even looked up). With `options.fields`, every `telemetry` (and the `subscribed` latest) carries only
   * those body fields. With `options.aggregate`, `aggregate` messages (closed buckets of the shared aggregator,
   * after those recomputed from `from`) instead of `telemetry`; a bad interval is one `error: bad_request`.
   * `options.moduleId`: only that module's telemetry. `options.deviceIdPattern`: also every registered device matching
   * it, now and later (see {@link WsPatternWatch}). Never throws.
   */
  subscribe(deviceIds: readonly string[], from: ReadonlyMap<string, string>, options: SubscribeOptions = {}): void {
    const selection = options.fields ? fieldSelection(options.fields) : undefined;
    let spec: AggregateSpec | undefined;
    if (options.aggregate) {
      try {
        spec = aggregateSpec(options.aggregate.interval, options.aggregate.fields, options.aggregate.fn);
      } catch (error) {
        if (!(error instanceof AggregateSpecError)) throw error;
        return this.queue.pushControl(errorMessage('bad_request', error.message), 'error:bad_request');
      }
    }
    const { deviceIdPattern, ...deviceOptions } = options;
    if (deviceIdPattern !== undefined && !this.patterns.watch(deviceIdPattern, deviceOptions)) {
      this.queue.pushControl(refusedMessage('limit_exceeded', 'too many device ID patterns on this connection', []), 'error:limit_exceeded');
    }
    const notFound: string[] = [];
    const overLimit: string[] = [];
    for (const deviceId of deviceIds.slice(0, this.maxSubscriptions)) {
      if (!this.services.registry.get(deviceId)) {
        notFound.push(deviceId);
        continue;
      }
      this.active.get(deviceId)?.();
      this.active.delete(deviceId);
      if (this.active.size >= this.maxSubscriptions) {
        overLimit.push(deviceId);
        continue;
      }
      try {
        const position = from.get(deviceId);
        this.active.set(deviceId, spec ? this.subscribeAggregate(deviceId, spec, position) : this.subscribeOne(deviceId, position, selection, options.moduleId));
      } catch (error) {
        if (error instanceof AggregateLimitError) overLimit.push(deviceId);
        else notFound.push(deviceId);
      }
    }
    overLimit.push(...deviceIds.slice(this.maxSubscriptions));
    if (notFound.length > 0) this.refuse('not_found', notFound);
    if (overLimit.length > 0) this.refuse('limit_exceeded', overLimit);
  }

  /** Ends the subscriptions to these devices (unknown or not subscribed ones are ignored) and releases their holds. */
  unsubscribe(deviceIds: readonly string[]): void {
    for (const deviceId of deviceIds) {
      this.active.get(deviceId)?.();
      this.active.delete(deviceId);
    }
  }

  /** Ends every subscription (the connection closed). Idempotent. */
  close(): void {
    this.patterns.close();
    this.unsubscribe([...this.active.keys()]);
  }

  /** One `error` for the refused devices; while one of the same code is still unsent, later ones are discarded. */
  private refuse(error: LiveErrorCode, deviceIds: readonly string[]): void {
    const text =
      error === 'limit_exceeded' ? `at most ${this.maxSubscriptions} subscriptions per connection (WS_MAX_SUBSCRIPTIONS)` :
      deviceIds.length === 1 ? `device "${deviceIds[0]}" is not registered` : `${deviceIds.length} devices are not registered`;
    this.queue.pushControl(refusedMessage(error, text, deviceIds), `error:${error}`);
  }

  private subscribeAggregate(deviceId: string, spec: AggregateSpec, from: string | undefined): () => void {
    return subscribeAggregate(this.services, deviceId, spec, from, {
      onSubscribed: (state, latest) => {
        if (state) this.queue.pushControl(subscribedMessage(state, latest));
      },
      onReset: () => this.queue.pushControl(resetMessage(deviceId)),
      onBucket: (emission) => this.queue.pushTelemetry(deviceId, emission.frame()),
      onStatus: (event) => {
        this.queue.pushControl(statusMessage(event));
        if (event.status === UNREGISTERED) this.unsubscribe([deviceId]);
      },
    });
  }

  private subscribeOne(deviceId: string, from: string | undefined, selection: FieldSelection | undefined, moduleId: string | undefined): () => void {
    const wanted = moduleFilter(moduleId);
    return subscribeDevice(this.services, deviceId, from, {
      onSubscribed: (state, latest) => {
        if (state) this.queue.pushControl(subscribedMessage(state, latest && withSelectedBody(latest, selection)));
      },
      onReset: () => this.queue.pushControl(resetMessage(deviceId)),
      onTelemetry: (message) => wanted(message) && this.queue.pushTelemetry(deviceId, telemetryFrame(message, selection)),
      onStatus: (event) => {
        this.queue.pushControl(statusMessage(event));
        if (event.status === UNREGISTERED) this.unsubscribe([deviceId]);
      },
    });
  }
}
