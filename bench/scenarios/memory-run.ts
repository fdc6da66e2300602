import type { EmulatorInfo } from '../emulator-process.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceId, benchDeviceIds } from '../lib/bench-devices.js';
import { eventually } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway } from '../lib/gateway-process.js';
import type { ChildUsage } from '../lib/ipc-protocol.js';
import { readSample } from '../lib/prometheus-text.js';
import { fmt } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';

/** One memory measurement: a fresh emulator and gateway, `devices` × `historyLimit` messages stored. */
export interface MemoryRun {
  devices: number;
  historyLimit: number;
  messages: number;
  /** Growth per stored message, BYTES, after a forced GC: V8 heap, external (ArrayBuffers included), their sum. */
  heapPerMessage: number;
  externalPerMessage: number;
  perMessage: number;
  /** Growth of heapUsed + arrayBuffers (the store's strings and typed arrays; other external memory left out), BYTES. */
  growth: number;
  rssPerMessage: number;
  /**
   * Growth per message of heapUsed + external from half full (historyLimit / 2 per device) to full, BYTES: the cost of
   * one more stored message, without what the first traffic leaves behind (connection and receive buffers, JIT code).
   */
  marginalPerMessage: number;
  /** The same for heapUsed alone and for heapUsed + arrayBuffers, BYTES. */
  marginalHeapPerMessage: number;
  marginalOwnPerMessage: number;
  /** `JSON.stringify` of the newest history item of device 0 as `GET /api/devices/{id}/telemetry` returns it, UTF-8 BYTES. */
  jsonBytes: number;
  before: ChildUsage;
  /** Usage after a forced GC at half full. */
  half: ChildUsage;
  after: ChildUsage;
  rssBefore: number;
  rssAfter: number;
}

const used = (u: ChildUsage): number => u.memory.heapUsed + u.memory.external;

/**
 * Stores `devices` × `historyLimit` preloaded messages in a fresh gateway (STORE=memory) and measures
 * heap and external memory after a full GC before and after. `external` already includes `arrayBuffers` (Node.js
 * docs), so they are not added twice.
 * @throws Error when the gateway does not store exactly every message, or the history does not hold `historyLimit`.
 */
export async function memoryRun(ctx: BenchContext, devices: number, historyLimit: number, nodeFlags: string[] = []): Promise<MemoryRun> {
  const messages = devices * historyLimit;
  const emulator = await startEmulatorChild(ctx);
  const { connectionString } = emulator.info as EmulatorInfo;
  try {
    const gateway = await startGateway({
      name: 'gateway-memory', connectionString, consumerGroup: 'bench-memory', deviceIds: benchDeviceIds(devices),
      startPosition: 'earliest', logDir: ctx.logDir, env: { STORE: 'memory', HISTORY_LIMIT: String(historyLimit) }, nodeFlags,
    });
    try {
      await eventually(async () => {
        if (readSample(await gateway.metrics(), 'gateway_hub_consumer_state', ['state', 'connected']) !== 1) throw new Error('hub consumer not connected');
      }, 60_000, 200);
      const before = await gateway.child.usage();
      const rssBefore = gateway.child.sample()?.rssBytes ?? 0;
      ctx.log(`memory: storing ${fmt(messages)} messages (${fmt(devices)} devices × ${fmt(historyLimit)})`);
      const fill = async (events: number, total: number): Promise<ChildUsage> => {
        await emulator.request('preload', { events, deviceCount: devices }, 300_000);
        await eventually(async () => {
          const { stored } = await gateway.counts();
          if (stored !== total) throw new Error(`stored ${stored} of ${total}`);
        }, 300_000, 250);
        return gateway.child.usage();
      };
      const halfMessages = devices * Math.floor(historyLimit / 2);
      const half = await fill(halfMessages, halfMessages);
      const after = await fill(messages - halfMessages, messages);
      const rssAfter = gateway.child.sample()?.rssBytes ?? 0;
      const history = await fetch(`${gateway.baseUrl}/api/devices/${benchDeviceId(0)}/telemetry?limit=${historyLimit}`, { headers: { 'X-API-Key': BENCH_API_KEY } });
      const items = ((await history.json()) as { items?: unknown[] }).items ?? [];
      if (items.length !== historyLimit) throw new Error(`history holds ${items.length} messages, expected ${historyLimit}`);
      const own = (u: ChildUsage) => u.memory.heapUsed + u.memory.arrayBuffers;
      const growth = own(after) - own(before);
      const added = messages - halfMessages;
      return {
        devices, historyLimit, messages,
        heapPerMessage: (after.memory.heapUsed - before.memory.heapUsed) / messages,
        externalPerMessage: (after.memory.external - before.memory.external) / messages,
        perMessage: (used(after) - used(before)) / messages,
        growth,
        rssPerMessage: (rssAfter - rssBefore) / messages,
        marginalPerMessage: (used(after) - used(half)) / added,
        marginalHeapPerMessage: (after.memory.heapUsed - half.memory.heapUsed) / added,
        marginalOwnPerMessage: (own(after) - own(half)) / added,
        jsonBytes: Buffer.byteLength(JSON.stringify(items[0])),
        before, half, after, rssBefore, rssAfter,
      };
    } finally {
      await gateway.stop();
    }
  } finally {
    await emulator.stop();
  }
}

/**
 * Memory of `devices` × `historyLimit` from a small run (many messages per device) and a large one (many devices),
 * fitted on heap + ArrayBuffers growth = devices × perDevice + messages × perMessage (BYTES), plus the small run's
 * starting heap + external (external memory outside ArrayBuffers does not grow with messages: about 1.5 MiB over a
 * million, 30 over 100,000, so it is left out of the fit).
 */
export function extrapolate(small: MemoryRun, large: MemoryRun, devices: number, historyLimit: number): { total: number; perDevice: number; perMessage: number } {
  // Two equations, two unknowns: g = d·D + m·M for each run.
  const det = small.devices * large.messages - large.devices * small.messages;
  const perDevice = det === 0 ? 0 : (small.growth * large.messages - large.growth * small.messages) / det;
  const perMessage = det === 0 ? large.perMessage : (small.devices * large.growth - large.devices * small.growth) / det;
  return { total: used(small.before) + devices * perDevice + devices * historyLimit * perMessage, perDevice, perMessage };
}
