import type { Checkpoint, PartitionContext, ReceivedEventData, SubscriptionEventHandlers } from '@azure/event-hubs';
import { BatchNotStoredError } from './batch-not-stored.js';
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
  /** This instance starts reading the partition (checkpoint, retention gap, ownerships). Never rejects. */
  started(partitionId: string): Promise<void>;
  /** The partition stopped here: `handedOver` when another reader took it (`OwnershipLost`). */
  stopped(partitionId: string, handedOver: boolean): void;
}

/** Another receiver with an equal or higher owner level took the partition: the load balancer's hand-over. */
const takenOver = (error: Error): boolean => (error as { code?: unknown }).code === 'ReceiverDisconnectedError';

/**
 * The Event Hubs `subscribe` handlers (SDK contract: `processInitialize`, `processEvents` — possibly empty batches —,
 * `processError` with `partitionId` `''` when not partition-specific, `processClose`): they feed the hub health,
 * hand each batch with its checkpoint to `onEvents` (which stores both) and wait for it, log errors (unauthorized at error
 * level), and release a partition's ownership when its pump stopped on an error (`Shutdown`), so the load balancer
 * restarts it from the checkpoint. A partition another reader took (`ReceiverDisconnectedError`, then
 * `OwnershipLost`: another instance's load balancer claimed it) is a hand-over, not an error: one info line, no
 * error state, and its ownership (by now the other instance's) is left alone.
 */
export function subscriptionHandlers(c: HandlerContext): SubscriptionEventHandlers {
  return {
    processInitialize: async (ctx: PartitionContext) => {
      if (!c.live()) return;
      c.logger.info(`hub consumer partition ${ctx.partitionId} claimed`);
      c.health.partitionInitialised(ctx.partitionId);
      c.update();
      // Before the first batch: the checkpoint read here is the one the pump resumes after.
      await c.started(ctx.partitionId);
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
      if (ctx.partitionId && takenOver(error)) return Promise.resolve();
      if (error instanceof BatchNotStoredError) {
        // Logged once, as the `error` state's line.
        c.health.error(ctx.partitionId, { kind: 'store_error', detail: error.message });
        c.update();
        return Promise.resolve();
      }
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
      const handedOver = closeReason === 'OwnershipLost';
      c.logger.info(handedOver
        ? `hub consumer partition ${ctx.partitionId} ownership lost: another reader took it over`
        : `hub consumer partition ${ctx.partitionId} closed (${closeReason})`);
      c.health.closed(ctx.partitionId, handedOver);
      if (!handedOver) void c.checkpoints.release(ctx.partitionId);
      c.stopped(ctx.partitionId, handedOver);
      c.update();
      return Promise.resolve();
    },
  };
}
