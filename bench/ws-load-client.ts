/**
 * A fan-out load client in its own process: opens WebSocket connections (one device each) and counts what arrives.
 * Protocol `gateway` (also the bare ws server's): sends `{"type":"subscribe","deviceIds":[...]}`, waits for
 * `subscribed`, then counts `telemetry` messages; a frame is one JSON message or, for a connection opened with
 * `?batch=true`, a JSON array of them, and every element counts as a delivered message. Protocol `sample` (the
 * Microsoft sample's broadcast server): no subscription; like the sample's browser page, JSON.parse every frame,
 * keep it when it has `MessageDate` and `IotData.temperature` and its `DeviceId` is the connection's device.
 * Latency is enqueued time (`enqueuedTime` / `MessageDate`) to receipt, per message (the machine clock is shared by
 * all processes). Commands over IPC: `connect`, `reset`, `report`, `closeAll`.
 */
import WebSocket from 'ws';
import { serveIpc } from './lib/ipc-child.js';
import { LatencyHistogram, type SparseHistogram } from './lib/latency-histogram.js';

/** `connect` arguments: one connection per entry of `deviceIds`, opened `concurrency` at a time. */
export interface ConnectArgs {
  /** WebSocket URL (for the gateway with `api_key` in the query: never logged; `batch=true` there for batches, `devices=false` for no list). */
  url: string;
  deviceIds: string[];
  concurrency: number;
  /** Client protocol (default `gateway`). */
  protocol?: 'gateway' | 'sample';
}

/** `report` answer, counted since the last `reset`. */
export interface LoadReport {
  connections: number;
  /** Messages the connection wanted: telemetry of its device (every `telemetry` message with protocol `gateway`). */
  received: number;
  /** Telemetry messages of any device in the frames (with protocol `sample` most are for other devices). */
  messages: number;
  /** WebSocket frames (data messages) received, and those that held a JSON array (a batch). */
  frames: number;
  arrayFrames: number;
  /** Payload bytes of those frames (UTF-8 JSON, without WebSocket framing). */
  bytes: number;
  /** Payload bytes of frames holding one message other than `telemetry` (e.g. the gateway's `devices` list). */
  otherBytes: number;
  /** Protocol `gateway`: telemetry for a device the connection did not subscribe to (must stay 0). */
  wrongDevice: number;
  /** Sum of the `count` of `dropped` messages (gateway backpressure). */
  dropped: number;
  /** Connections closed by the server, by close code. */
  closes: Record<string, number>;
  /** Protocol `gateway`: messages other than `telemetry`, by type. */
  others: Record<string, number>;
  errors: number;
  latency: SparseHistogram;
}

interface GatewayMessage { type?: string; deviceId?: string; enqueuedTime?: string; count?: number }
interface SampleMessage { IotData?: { temperature?: unknown }; MessageDate?: string; DeviceId?: string }

const sockets: WebSocket[] = [];
const histogram = new LatencyHistogram();
const zero = () => ({ received: 0, messages: 0, frames: 0, arrayFrames: 0, bytes: 0, otherBytes: 0, wrongDevice: 0, dropped: 0, errors: 0 });
let counters = zero();
const closes: Record<string, number> = {};
let others: Record<string, number> = {};
let closing = false;

function countFrame(data: Buffer): unknown {
  counters.frames += 1;
  counters.bytes += data.length;
  const parsed = JSON.parse(data.toString('utf8')) as unknown;
  if (Array.isArray(parsed)) counters.arrayFrames += 1;
  else if ((parsed as GatewayMessage).type !== 'telemetry' && (parsed as SampleMessage).DeviceId === undefined) counters.otherBytes += data.length;
  return parsed;
}

/** Handles one gateway message; true when it is the `subscribed` answer. @throws Error on an `error` message. */
function onGatewayMessage(message: GatewayMessage, deviceId: string): boolean {
  if (message.type === 'telemetry') {
    counters.received += 1;
    counters.messages += 1;
    if (message.deviceId !== deviceId) counters.wrongDevice += 1;
    histogram.record(Date.now() - Date.parse(message.enqueuedTime ?? ''));
    return false;
  }
  others[String(message.type)] = (others[String(message.type)] ?? 0) + 1;
  if (message.type === 'dropped') {
    counters.dropped += message.count ?? 0;
  } else if (message.type === 'error') {
    throw new Error(`subscribe ${deviceId}: ${JSON.stringify(message)}`);
  }
  return message.type === 'subscribed';
}

function onSampleMessage(message: SampleMessage, deviceId: string): void {
  counters.messages += 1;
  if (!message.MessageDate || !message.IotData?.temperature || message.DeviceId !== deviceId) return;
  counters.received += 1;
  histogram.record(Date.now() - Date.parse(message.MessageDate));
}

function open(url: string, deviceId: string, protocol: 'gateway' | 'sample'): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    let ready = false;
    const settle = () => {
      ready = true;
      sockets.push(socket);
      resolve();
    };
    socket.on('open', () => {
      if (protocol === 'sample') settle();
      else socket.send(JSON.stringify({ type: 'subscribe', deviceIds: [deviceId] }));
    });
    socket.on('message', (data: Buffer) => {
      const parsed = countFrame(data);
      const items = (Array.isArray(parsed) ? parsed : [parsed]) as object[];
      for (const item of items) {
        if (protocol === 'sample') {
          onSampleMessage(item, deviceId);
          continue;
        }
        try {
          if (onGatewayMessage(item, deviceId) && !ready) settle();
        } catch (error) {
          counters.errors += 1;
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
    socket.on('error', (error) => {
      counters.errors += 1;
      if (!ready) reject(error);
    });
    socket.on('close', (code) => {
      if (!closing) closes[code] = (closes[code] ?? 0) + 1;
      if (!ready) reject(new Error(`closed with ${code} before subscribed`));
    });
  });
}

async function connect({ url, deviceIds, concurrency, protocol = 'gateway' }: ConnectArgs): Promise<{ connections: number }> {
  let next = 0;
  const worker = async () => {
    while (next < deviceIds.length) await open(url, deviceIds[next++] as string, protocol);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, deviceIds.length) }, worker));
  return { connections: sockets.length };
}

function report(): LoadReport {
  return { connections: sockets.length, ...counters, closes: { ...closes }, others: { ...others }, latency: histogram.toSparse() };
}

function reset(): void {
  counters = zero();
  others = {};
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
