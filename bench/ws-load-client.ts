/**
 * A fan-out load client in its own process: opens WebSocket connections (one device each), subscribes with the
 * gateway's protocol (`{"type":"subscribe","deviceIds":[...]}`), and counts `telemetry` messages, their
 * latency from enqueued time to receipt (the machine clock is shared by all processes), `dropped` counts and
 * unexpected closes. Commands over IPC: `connect`, `reset`, `report`, `closeAll`.
 */
import WebSocket from 'ws';
import { serveIpc } from './lib/ipc-child.js';
import { LatencyHistogram, type SparseHistogram } from './lib/latency-histogram.js';

/** `connect` arguments: one connection per entry of `deviceIds`, opened `concurrency` at a time. */
export interface ConnectArgs {
  /** WebSocket URL (for the gateway with `api_key` in the query: never logged). */
  url: string;
  deviceIds: string[];
  concurrency: number;
}

/** `report` answer, counted since the last `reset`. */
export interface LoadReport {
  connections: number;
  received: number;
  /** Telemetry for a device the connection did not subscribe to (must stay 0). */
  wrongDevice: number;
  /** Sum of the `count` of `dropped` messages (gateway backpressure). */
  dropped: number;
  /** Connections closed by the server, by close code. */
  closes: Record<string, number>;
  errors: number;
  latency: SparseHistogram;
}

const sockets: WebSocket[] = [];
const histogram = new LatencyHistogram();
let counters = { received: 0, wrongDevice: 0, dropped: 0, errors: 0 };
const closes: Record<string, number> = {};
let closing = false;

function open(url: string, deviceId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    let subscribed = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', deviceIds: [deviceId] })));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; deviceId?: string; enqueuedTime?: string; count?: number };
      if (message.type === 'telemetry') {
        counters.received += 1;
        if (message.deviceId !== deviceId) counters.wrongDevice += 1;
        histogram.record(Date.now() - Date.parse(message.enqueuedTime ?? ''));
      } else if (message.type === 'dropped') {
        counters.dropped += message.count ?? 0;
      } else if (message.type === 'subscribed' && !subscribed) {
        subscribed = true;
        sockets.push(socket);
        resolve();
      } else if (message.type === 'error') {
        reject(new Error(`subscribe ${deviceId}: ${JSON.stringify(message)}`));
      }
    });
    socket.on('error', (error) => {
      counters.errors += 1;
      if (!subscribed) reject(error);
    });
    socket.on('close', (code) => {
      if (!closing) closes[code] = (closes[code] ?? 0) + 1;
      if (!subscribed) reject(new Error(`closed with ${code} before subscribed`));
    });
  });
}

async function connect({ url, deviceIds, concurrency }: ConnectArgs): Promise<{ connections: number }> {
  let next = 0;
  const worker = async () => {
    while (next < deviceIds.length) await open(url, deviceIds[next++] as string);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, deviceIds.length) }, worker));
  return { connections: sockets.length };
}

function report(): LoadReport {
  return { connections: sockets.length, ...counters, closes: { ...closes }, latency: histogram.toSparse() };
}

function reset(): void {
  counters = { received: 0, wrongDevice: 0, dropped: 0, errors: 0 };
  histogram.reset();
}

async function closeAll(): Promise<void> {
  closing = true;
  await Promise.all(sockets.splice(0).map((s) => new Promise<void>((resolve) => {
    if (s.readyState === WebSocket.CLOSED) return resolve();
    s.once('close', () => resolve());
    s.terminate();
  })));
}

serveIpc({}, { connect: (a: ConnectArgs) => connect(a), reset: () => reset(), report: () => report(), closeAll: () => closeAll() }, closeAll);
