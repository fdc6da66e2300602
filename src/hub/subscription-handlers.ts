import type { Checkpoint, PartitionContext, ReceivedEventData, SubscriptionEventHandlers } from '@azure/event-hubs';
import { describeHubError } from './describe-hub-error.js';
import type { HubConsumerOptions, HubLogger } from './hub-consumer-options.js';
import type { HubHealth } from './hub-health.js';
import type { GatewayCheckpointStore } from '../store/telemetry-store.js';

/** What the handlers of one open consumer share with it. */
export interface HandlerContext {
  health: HubHealth;
  checkpoints: GatewayCheckpointStore;
  logger: HubLogger;
  onEvents: HubConsumerOptions['onEvents'];
  /** A non-empty batch of the partition ending at `sequenceNumber` was handed to `onEvents`. */
  onDelivered(partitionId: string, sequenceNumber: number): void;
  /** False once the consumer that made these handlers was closed: late callbacks are ignored. */
  live(): boolean;
  /** Publishes the health's new state. */
  update(): void;
}

/**
 * The Event Hubs `subscribe` handlers (SDK contract: `processInitialize`, `processEvents` — possibly empty batches —,
 * `processError` with `partitionId` `''` when not partition-specific, `processClose`): they feed the hub health,
 * hand each batch with its checkpoint to `onEvents` (which stores both) and wait for it, log errors (unauthorized at error
 * level), and release a closed partition's ownership so the load balancer restarts it from the checkpoint.
 */
export function subscriptionHandlers(c: HandlerContext): SubscriptionEventHandlers {
  return {
    processInitialize: (ctx: PartitionContext) => {
      if (!c.live()) return Promise.resolve();
      c.health.partitionInitialised(ctx.partitionId);
      c.update();
      return Promise.resolve();
    },
    processEvents: async (events: ReceivedEventData[], ctx: PartitionContext) => {
      if (!c.live()) return;
      c.health.batch(ctx.partitionId);
      c.update();
      const last = events[events.length - 1];
      if (!last) return;
      const checkpoint: Checkpoint = {
        fullyQualifiedNamespace: ctx.fullyQualifiedNamespace, eventHubName: ctx.eventHubName, consumerGroup: ctx.consumerGroup,
        partitionId: ctx.partitionId, sequenceNumber: last.sequenceNumber, offset: last.offset,
      };
      await c.onEvents(events, ctx.partitionId, checkpoint);
      c.onDelivered(ctx.partitionId, last.sequenceNumber);
      c.update();
    },
    processError: (error: Error, ctx: PartitionContext) => {
      if (!c.live()) return Promise.resolve();
      const { reason, unauthorized, kind } = describeHubError(error);
      const where = ctx.partitionId ? `partition ${ctx.partitionId}` : 'hub';
      if (unauthorized) c.logger.error(`hub consumer (${where}) ${reason}`);
      else c.logger.warn(`hub consumer (${where}) error, the SDK retries: ${reason}`);
      c.health.error(ctx.partitionId, { kind, detail: reason });
      c.update();
      return Promise.resolve();
    },
    processClose: (closeReason: string, ctx: PartitionContext) => {
      if (!c.live()) return Promise.resolve();
      c.logger.info(`hub consumer partition ${ctx.partitionId} closed (${closeReason})`);
      c.health.closed(ctx.partitionId);
      void c.checkpoints.release(ctx.partitionId);
      c.update();
      return Promise.resolve();
    },
  };
}
