/**
 * Baseline for the one-client-per-device design: one `EventHubConsumerClient` per registered device, each reading
 * the whole stream from `earliest` and keeping only its own device's latest message (the SDK's default JSON body
 * parsing). Up to 5 clients share the consumer group `$Default`; beyond 5, each client gets its own consumer group
 * (`seed-<n>`). A real IoT Hub allows 5 readers per partition and consumer group and 20 consumer groups on standard
 * tiers (https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-quotas-throttling), which this design runs into.
 * Commands over IPC: `start`, `count` (events seen, summed over clients), `close`.
 */
import { EventHubConsumerClient, earliestEventPosition, type Subscription } from '@azure/event-hubs';
import { serveIpc } from './lib/ipc-child.js';
import { READERS_PER_PARTITION_AND_GROUP } from './lib/iot-hub-limits.js';

/** `start` arguments. */
export interface SeedStartArgs {
  connectionString: string;
  deviceIds: string[];
  maxBatchSize: number;
}

/** `count` answer. */
export interface SeedCount {
  /** Events delivered, summed over all clients (each client sees the whole stream). */
  delivered: number;
  /** Messages kept (matching their client's device), summed over clients. */
  matched: number;
  /** Consumer groups in use. */
  consumerGroups: number;
}


const clients: { client: EventHubConsumerClient; subscription: Subscription }[] = [];
const latest = new Map<string, unknown>();
const state: SeedCount = { delivered: 0, matched: 0, consumerGroups: 0 };

function start({ connectionString, deviceIds, maxBatchSize }: SeedStartArgs): void {
  const groups = new Set<string>();
  deviceIds.forEach((deviceId, i) => {
    const consumerGroup = deviceIds.length <= READERS_PER_PARTITION_AND_GROUP ? '$Default' : `seed-${i}`;
    groups.add(consumerGroup);
    const client = new EventHubConsumerClient(consumerGroup, connectionString, {
      loadBalancingOptions: { strategy: 'greedy', updateIntervalInMs: 5000 },
    });
    const subscription = client.subscribe(
      {
        processEvents: (events) => {
          state.delivered += events.length;
          for (const event of events) {
            if (event.systemProperties?.['iothub-connection-device-id'] !== deviceId) continue;
            latest.set(deviceId, event.body);
            state.matched += 1;
          }
          return Promise.resolve();
        },
        processError: (error) => {
          console.error(`seed client ${deviceId}: ${error.message}`);
          return Promise.resolve();
        },
      },
      { startPosition: earliestEventPosition, maxBatchSize, maxWaitTimeInSeconds: 1 },
    );
    clients.push({ client, subscription });
  });
  state.consumerGroups = groups.size;
}

async function close(): Promise<void> {
  for (const { client, subscription } of clients.splice(0)) {
    await subscription.close();
    await client.close();
  }
}

serveIpc({}, { start: (args: SeedStartArgs) => start(args), count: () => state, close: () => close() }, close);
