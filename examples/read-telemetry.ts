/**
 * Prints live telemetry from an IoT hub's built-in Event Hub-compatible endpoint with the plain official SDK
 * (`@azure/event-hubs`), no gateway involved. Works the same against Azure IoT Hub and the local emulator:
 *
 *   npm run emulator -- --simulate        # prints EVENTHUB_CONNECTION_STRING=... first
 *   EVENTHUB_CONNECTION_STRING='Endpoint=sb://...' npx tsx examples/read-telemetry.ts
 *
 * The connection string may also be given as the first argument. Stops on Ctrl+C.
 * One line per event: enqueued time, device ID, partition/sequence number, content type, body.
 */
import { EventHubConsumerClient, latestEventPosition } from '@azure/event-hubs';

const connectionString = process.argv[2] ?? process.env.EVENTHUB_CONNECTION_STRING;
if (!connectionString) {
  console.error('Set EVENTHUB_CONNECTION_STRING or pass the connection string as the first argument.');
  process.exit(2);
}

const client = new EventHubConsumerClient(process.env.EVENTHUB_CONSUMER_GROUP ?? '$Default', connectionString);
const subscription = client.subscribe(
  {
    processEvents: (events, context) => {
      for (const event of events) {
        const deviceId = String(event.systemProperties?.['iothub-connection-device-id'] ?? '?');
        const body = Buffer.isBuffer(event.body) ? event.body.toString('utf8') : JSON.stringify(event.body);
        console.log(`${event.enqueuedTimeUtc.toISOString()} ${deviceId} ${context.partitionId}/${event.sequenceNumber} ${event.contentType ?? '-'} ${body}`);
      }
      return Promise.resolve();
    },
    processError: (error, context) => {
      console.error(`error (partition '${context.partitionId}'): ${error.message}`);
      return Promise.resolve();
    },
  },
  { startPosition: latestEventPosition, skipParsingBodyAsJson: true, maxBatchSize: 50, maxWaitTimeInSeconds: 1 },
);

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await subscription.close();
  await client.close();
}
process.on('SIGINT', () => void close());
process.on('SIGTERM', () => void close());
