import { EventHubConsumerClient, RetryMode, type SubscribeOptions, type Subscription } from '@azure/event-hubs';
import type { CheckpointScope } from '../store/telemetry-store.js';
import { describeHubError } from './describe-hub-error.js';
import type { HubConsumerOptions, HubLogger } from './hub-consumer-options.js';
import type { StartPlan } from './start-plan.js';

/**
 * The SDK client the consumer reads with: short fixed retries (a dropped link resumes within ~0.5 s, a refused token
 * surfaces within ~5 s; once they run out the load balancer restarts the pump from the checkpoint, so nothing is lost
 * or repeated), the injected checkpoint store, the load balancer's options (defaults: greedy, 2000 ms, 10,000 ms) and
 * the transport's `webSocketOptions` when it is `websockets`.
 * @throws the SDK's error when it refuses the connection string or the options.
 */
export function createConsumerClient(o: HubConsumerOptions): EventHubConsumerClient {
  return new EventHubConsumerClient(o.consumerGroup, o.connectionString, o.checkpointStore, {
    retryOptions: { mode: RetryMode.Fixed, maxRetries: 10, retryDelayInMs: 500, maxRetryDelayInMs: 5000 },
    loadBalancingOptions: {
      strategy: o.balancing?.strategy ?? 'greedy',
      updateIntervalInMs: o.balancing?.claimIntervalMs ?? 2000,
      partitionOwnershipExpirationIntervalInMs: o.balancing?.ownershipExpiryMs ?? 10_000,
    },
    ...(o.transport?.webSocketOptions ? { webSocketOptions: o.transport.webSocketOptions } : {}),
  });
}

/** The SDK's `subscribe` options for a plan: its start positions, batches of `maxBatchSize` (100), raw bodies. */
export function subscribeOptions(plan: StartPlan, o: HubConsumerOptions): SubscribeOptions {
  return {
    startPosition: plan.positions,
    maxBatchSize: o.maxBatchSize ?? 100,
    maxWaitTimeInSeconds: o.maxWaitTimeInSeconds ?? 1,
    skipParsingBodyAsJson: true,
  };
}

/** The client's checkpoint scope (its namespace and Event Hub) for `consumerGroup`. */
export function scopeOf(client: EventHubConsumerClient, consumerGroup: string): CheckpointScope {
  return { fullyQualifiedNamespace: client.fullyQualifiedNamespace, eventHubName: client.eventHubName, consumerGroup };
}

/** Closes the subscription, then the client (the SDK's order); a failure of either is logged at warn. Never rejects. */
export async function closeClient(subscription: Subscription | null, client: EventHubConsumerClient, logger: HubLogger): Promise<void> {
  try {
    await subscription?.close();
  } catch (error) {
    logger.warn(`closing the hub subscription failed: ${describeHubError(error).reason}`);
  }
  try {
    await client.close();
  } catch (error) {
    logger.warn(`closing the hub client failed: ${describeHubError(error).reason}`);
  }
}
