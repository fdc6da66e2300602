/**
 * Baseline for fan-out: one `@azure/event-hubs` consumer (the gateway's subscribe options, from `latest`) that
 * broadcasts each event, serialized once, to the `ws` clients subscribed to its device. Same client protocol subset
 * as the gateway's `/api/ws`: `subscribe` → `subscribed`, then `telemetry` messages with the same fields;
 * no auth, no queues, no backpressure policy. Commands over IPC: `start` → partitions initialised count via `status`.
 */
import { EventHubConsumerClient, latestEventPosition, type Subscription } from '@azure/event-hubs';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveIpc } from './lib/ipc-child.js';

/** `start` arguments. */
export interface BareWsStartArgs {
  connectionString: string;
  consumerGroup: string;
  maxBatchSize: number;
}

/** `status` answer. */
export interface BareWsStatus {
  partitionsInitialised: number;
  clients: number;
  /** Messages handed to `ws.send`. */
  sent: number;
}

const subscribers = new Map<string, Set<WebSocket>>();
const status: BareWsStatus = { partitionsInitialised: 0, clients: 0, sent: 0 };
const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', resolve));

server.on('connection', (socket) => {
  status.clients += 1;
  const mine = new Set<string>();
  socket.on('message', (data: Buffer) => {
    let message: { type?: string; deviceIds?: string[] };
    try {
      message = JSON.parse(data.toString('utf8')) as typeof message;
    } catch {
      return;
    }
    if (message.type !== 'subscribe' || !Array.isArray(message.deviceIds)) return;
    for (const deviceId of message.deviceIds) {
      mine.add(deviceId);
      let set = subscribers.get(deviceId);
      if (!set) subscribers.set(deviceId, (set = new Set()));
      set.add(socket);
      socket.send(JSON.stringify({ type: 'subscribed', deviceId, status: 'registered', isConnected: true, latest: null }));
    }
  });
  socket.on('close', () => {
    status.clients -= 1;
    for (const deviceId of mine) subscribers.get(deviceId)?.delete(socket);
  });
});

let client: EventHubConsumerClient | undefined;
let subscription: Subscription | undefined;

function start({ connectionString, consumerGroup, maxBatchSize }: BareWsStartArgs): void {
  client = new EventHubConsumerClient(consumerGroup, connectionString, {
    loadBalancingOptions: { strategy: 'greedy', updateIntervalInMs: 5000 },
  });
  subscription = client.subscribe(
    {
      processInitialize: () => {
        status.partitionsInitialised += 1;
        return Promise.resolve();
      },
      processEvents: (events, context) => {
        for (const event of events) {
          const deviceId = event.systemProperties?.['iothub-connection-device-id'] as string | undefined;
          const set = deviceId === undefined ? undefined : subscribers.get(deviceId);
          if (!set || set.size === 0) continue;
          const text = JSON.stringify({
            type: 'telemetry',
            deviceId,
            position: `${context.partitionId}:${event.sequenceNumber}`,
            enqueuedTime: event.enqueuedTimeUtc.toISOString(),
            body: JSON.parse((event.body as Buffer).toString('utf8')) as unknown,
            bodyEncoding: 'json',
            properties: event.properties ?? {},
          });
          for (const socket of set) socket.send(text);
          status.sent += set.size;
        }
        return Promise.resolve();
      },
      processError: (error) => {
        console.error(`bare ws server: ${error.message}`);
        return Promise.resolve();
      },
    },
    { startPosition: latestEventPosition, maxBatchSize, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true },
  );
}

async function close(): Promise<void> {
  await subscription?.close();
  await client?.close();
  for (const socket of server.clients) socket.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
serveIpc({ url: `ws://127.0.0.1:${port}/` }, { start: (args: BareWsStartArgs) => start(args), status: () => status }, close);
