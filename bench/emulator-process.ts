/**
 * The local IoT hub emulator in its own process, so that what the bench measures is not the emulator. Commands over
 * IPC (see lib/ipc-child.ts): `preload`, `startRate`, `stopRate`, `stats`; `{ ready }` carries the connection string.
 * Options come from the environment: `BENCH_PARTITIONS` (default 4).
 */
import { startEmulator, type SendResult } from '../src/emulator/index.js';
import { benchDeviceId, telemetryBody } from './lib/bench-devices.js';
import { serveIpc } from './lib/ipc-child.js';

/** What `{ ready }` carries. */
export interface EmulatorInfo {
  /** A secret-free dev connection string (the emulator's key is a public dummy). */
  connectionString: string;
  amqpPort: number;
  httpPort: number;
}

/** `preload` arguments: `events` events spread round-robin over device indexes `[0, deviceCount)`. */
export interface PreloadArgs {
  events: number;
  deviceCount: number;
}

/** `preload` answer: events per device index, to compute exact expected counts. */
export interface PreloadResult {
  events: number;
  /** Wall time of the preload, in MILLISECONDS. */
  tookMs: number;
}

/** `startRate` arguments: `ratePerS` events per SECOND, round-robin over device indexes `[0, deviceCount)`. */
export interface RateArgs {
  ratePerS: number;
  deviceCount: number;
}

const emulator = await startEmulator({
  partitions: Number(process.env.BENCH_PARTITIONS ?? 4),
  retention: { maxEventsPerPartition: 1_000_000, maxAgeMs: 86_400_000 },
});
let seq = 0;
let rateTimer: NodeJS.Timeout | undefined;
let rateSent = 0;

function sendOne(deviceIndex: number): Promise<SendResult> {
  const deviceId = benchDeviceId(deviceIndex);
  return emulator.send(deviceId, telemetryBody(deviceId, seq++), { contentType: 'application/json', contentEncoding: 'utf-8' });
}

async function preload({ events, deviceCount }: PreloadArgs): Promise<PreloadResult> {
  const started = performance.now();
  for (let i = 0; i < events; i += 10_000) {
    const chunk: Promise<SendResult>[] = [];
    for (let j = i; j < Math.min(events, i + 10_000); j++) chunk.push(sendOne(j % deviceCount));
    await Promise.all(chunk);
  }
  return { events, tookMs: performance.now() - started };
}

function startRate({ ratePerS, deviceCount }: RateArgs): void {
  stopRate();
  rateSent = 0;
  const started = performance.now();
  // Every 5 ms, send what is due since the start, so the average rate is exact whatever the timer jitter.
  rateTimer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) * ratePerS) / 1000);
    for (; rateSent < due; rateSent++) void sendOne(rateSent % deviceCount);
  }, 5);
}

function stopRate(): { sent: number } {
  if (rateTimer) clearInterval(rateTimer);
  rateTimer = undefined;
  return { sent: rateSent };
}

const info: EmulatorInfo = { connectionString: emulator.connectionString, amqpPort: emulator.amqpPort, httpPort: emulator.httpPort };
serveIpc(info, {
  preload: (args: PreloadArgs) => preload(args),
  startRate: (args: RateArgs) => startRate(args),
  stopRate: () => stopRate(),
  stats: () => emulator.stats(),
}, async () => {
  stopRate();
  await emulator.close();
});
