/**
 * Baseline for ingest: a bare `@azure/event-hubs` subscribe loop that only counts events. It uses the gateway's
 * subscribe options (src/hub/hub-consumer.ts: maxBatchSize 100, maxWaitTimeInSeconds 1, skipParsingBodyAsJson,
 * greedy load balancing) so the comparison isolates what the gateway does per event. Commands over IPC: `start`,
 * `count`, `close`.
 */
import { EventHubConsumerClient, earliestEventPosition, type Subscription } from '@azure/event-hubs';
import { serveIpc } from './lib/ipc-child.js';

/** `start` arguments. */
export interface CounterStartArgs {
  connectionString: string;
  consumerGroup: string;
  /** Events per batch (the gateway uses 100). */
  maxBatchSize: number;
}

/** `count` answer: events counted so far and the wall-clock times (ms since epoch) of the first and last batch. */
export interface CounterCount {
  count: number;
  firstAtMs: number | null;
  lastAtMs: number | null;
}

let client: EventHubConsumerClient | undefined;
let subscription: Subscription | undefined;
const state: CounterCount = { count: 0, firstAtMs: null, lastAtMs: null };

function start({ connectionString, consumerGroup, maxBatchSize }: CounterStartArgs): void {
  client = new EventHubConsumerClient(consumerGroup, connectionString, {
    loadBalancingOptions: { strategy: 'greedy', updateIntervalInMs: 5000 },
  });
  subscription = client.subscribe(
    {
      processEvents: (events) => {
        if (events.length === 0) return Promise.resolve();
        const now = Date.now();
        state.firstAtMs ??= now;
        state.lastAtMs = now;
        state.count += events.length;
        return Promise.resolve();
      },
      processError: (error) => {
        console.error(`bare counter: ${error.message}`);
        return Promise.resolve();
      },
    },
    { startPosition: earliestEventPosition, maxBatchSize, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true },
  );
}

async function close(): Promise<void> {
  await subscription?.close();
  await client?.close();
  subscription = undefined;
  client = undefined;
}

serveIpc({}, { start: (args: CounterStartArgs) => start(args), count: () => state, close: () => close() }, close);
