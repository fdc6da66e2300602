/**
 * Baseline "Microsoft sample": the design of Azure-Samples/web-apps-node-iot-hub-data-visualization (server.js and
 * scripts/event-hub-reader.js), the one users copy today. One `@azure/event-hubs` consumer reads the hub from the
 * latest position; for every event it builds `{ IotData, MessageDate, DeviceId }` (the body as the SDK parsed it,
 * the enqueued time, the device ID), serializes it once and sends it to EVERY WebSocket client that is open
 * (`wss.clients.forEach`); the browser filters by `DeviceId`. No subscription, no auth, no backpressure. Left out of
 * the sample: its `console.log` of every message per client (it would only make this baseline slower) and the
 * static-file server. Uses the gateway's subscribe options (`maxBatchSize`, `maxWaitTimeInSeconds` 1, greedy), as
 * every SDK baseline here. Commands over IPC: `start`, `status`.
 */
import { EventHubConsumerClient, latestEventPosition, type Subscription } from '@azure/event-hubs';
import WebSocket, { WebSocketServer } from 'ws';
import { serveIpc } from './lib/ipc-child.js';

/** `start` arguments. */
export interface SampleStartArgs {
  connectionString: string;
  consumerGroup: string;
  maxBatchSize: number;
}

/** `status` answer. */
export interface SampleStatus {
  partitionsInitialised: number;
  clients: number;
  /** Messages handed to `ws.send`, and their payload bytes. */
  sent: number;
  sentBytes: number;
}

const status: SampleStatus = { partitionsInitialised: 0, clients: 0, sent: 0, sentBytes: 0 };
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise<void>((resolve) => wss.once('listening', resolve));

function broadcast(data: string): void {
  const bytes = Buffer.byteLength(data);
  wss.clients.forEach((client) => {
    if (client.readyState !== WebSocket.OPEN) return;
    try {
      client.send(data);
      status.sent += 1;
      status.sentBytes += bytes;
    } catch (error) {
      console.error(error);
    }
  });
}

let client: EventHubConsumerClient | undefined;
let subscription: Subscription | undefined;

function start({ connectionString, consumerGroup, maxBatchSize }: SampleStartArgs): void {
  client = new EventHubConsumerClient(consumerGroup, connectionString, {
    loadBalancingOptions: { strategy: 'greedy', updateIntervalInMs: 5000 },
  });
  subscription = client.subscribe(
    {
      processInitialize: () => {
        status.partitionsInitialised += 1;
        return Promise.resolve();
      },
      processEvents: (events) => {
        for (const event of events) {
          try {
            const payload = {
              IotData: event.body as unknown,
              MessageDate: event.enqueuedTimeUtc,
              DeviceId: event.systemProperties?.['iothub-connection-device-id'] as string | undefined,
            };
            broadcast(JSON.stringify(payload));
          } catch (error) {
            console.error('Error broadcasting: %s', error);
          }
        }
        return Promise.resolve();
      },
      processError: (error) => {
        console.error(`sample broadcast server: ${error.message}`);
        return Promise.resolve();
      },
    },
    { startPosition: latestEventPosition, maxBatchSize, maxWaitTimeInSeconds: 1 },
  );
}

async function close(): Promise<void> {
  await subscription?.close();
  await client?.close();
  for (const socket of wss.clients) socket.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}

const address = wss.address();
const port = typeof address === 'object' && address ? address.port : 0;
serveIpc({ url: `ws://127.0.0.1:${port}/` }, {
  start: (args: SampleStartArgs) => start(args),
  status: () => ({ ...status, clients: wss.clients.size }),
}, close);
