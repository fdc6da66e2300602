import {
  EventHubConsumerClient,
  type EventHubConsumerClientOptions,
  type ReceivedEventData,
  type Subscription,
  type SubscribeOptions,
} from '@azure/event-hubs';

export { eventually } from '../integration/support/eventually.js';

/** What a test subscription saw: events per partition, errors, close reasons. */
export interface Collected {
  events: ReceivedEventData[];
  byPartition: Map<string, ReceivedEventData[]>;
  errors: { partitionId: string; error: Error }[];
  closes: { partitionId: string; reason: string }[];
  subscription: Subscription;
  client: EventHubConsumerClient;
  close(): Promise<void>;
}

/**
 * Subscribes with the official SDK client and records everything it reports. Bodies stay raw `Buffer`s
 * (`skipParsingBodyAsJson`). `partitionId` subscribes to one partition only.
 */
export function collect(
  connectionString: string,
  options: SubscribeOptions & { consumerGroup?: string; partitionId?: string; clientOptions?: EventHubConsumerClientOptions } = {},
): Collected {
  const { consumerGroup = '$Default', partitionId, clientOptions, ...subscribeOptions } = options;
  const client = new EventHubConsumerClient(consumerGroup, connectionString, clientOptions ?? {});
  const events: ReceivedEventData[] = [];
  const byPartition = new Map<string, ReceivedEventData[]>();
  const errors: Collected['errors'] = [];
  const closes: Collected['closes'] = [];
  const handlers = {
    processEvents: (batch: ReceivedEventData[], context: { partitionId: string }): Promise<void> => {
      for (const event of batch) {
        events.push(event);
        const list = byPartition.get(context.partitionId) ?? [];
        list.push(event);
        byPartition.set(context.partitionId, list);
      }
      return Promise.resolve();
    },
    processError: (error: Error, context: { partitionId: string }): Promise<void> => {
      errors.push({ partitionId: context.partitionId, error });
      return Promise.resolve();
    },
    processClose: (reason: string, context: { partitionId: string }): Promise<void> => {
      closes.push({ partitionId: context.partitionId, reason });
      return Promise.resolve();
    },
  };
  const opts = { maxBatchSize: 100, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true, ...subscribeOptions };
  const subscription = partitionId === undefined ? client.subscribe(handlers, opts) : client.subscribe(partitionId, handlers, opts);
  return {
    events,
    byPartition,
    errors,
    closes,
    subscription,
    client,
    close: async () => {
      await subscription.close();
      await client.close();
    },
  };
}

/** A device ID for each partition of `partitionOf`, found by trying `device-<n>`. */
export function devicePerPartition(partitionIds: string[], partitionOf: (deviceId: string) => string): Map<string, string> {
  const found = new Map<string, string>();
  for (let n = 0; found.size < partitionIds.length && n < 10_000; n++) {
    const id = `device-${n}`;
    const partition = partitionOf(id);
    if (!found.has(partition)) found.set(partition, id);
  }
  return found;
}
