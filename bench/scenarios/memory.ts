import type { EmulatorInfo } from '../emulator-process.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceId, benchDeviceIds } from '../lib/bench-devices.js';
import { eventually } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway } from '../lib/gateway-process.js';
import { readSample } from '../lib/prometheus-text.js';
import { fmt, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';

const MiB = 1048576;

/**
 * Scenario 5, "memory": RSS and heap of the gateway with 100 devices × `HISTORY_LIMIT` (1,000) stored
 * messages, measured after a full GC (bench/gateway-probe.ts) before and after storing them; bytes per stored message
 * (heap growth / messages) and the extrapolation to 10,000 devices. The "baseline" is the JSON size of one stored
 * message (history endpoint), so the ratio is the in-memory cost of a message relative to its JSON text.
 */
export async function memoryScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const { memoryDevices: devices, historyLimit } = ctx.sizes;
  const messages = devices * historyLimit;
  const emulator = await startEmulatorChild(ctx);
  const { connectionString } = emulator.info as EmulatorInfo;
  try {
    const gateway = await startGateway({
      name: 'gateway-memory', connectionString, consumerGroup: 'bench-memory', deviceIds: benchDeviceIds(devices),
      startPosition: 'earliest', logDir: ctx.logDir, env: { HISTORY_LIMIT: String(historyLimit) },
    });
    try {
      await eventually(async () => {
        if (readSample(await gateway.metrics(), 'gateway_hub_consumer_state', ['state', 'connected']) !== 1) throw new Error('hub consumer not connected');
      }, 60_000, 200);
      const before = await gateway.child.usage();
      const rssBefore = gateway.child.sample()?.rssBytes ?? 0;
      ctx.log(`memory: storing ${fmt(messages)} messages`);
      await emulator.request('preload', { events: messages, deviceCount: devices }, 300_000);
      await eventually(async () => {
        const { stored } = await gateway.counts();
        if (stored !== messages) throw new Error(`stored ${stored} of ${messages}`);
      }, 300_000, 250);
      const after = await gateway.child.usage();
      const rssAfter = gateway.child.sample()?.rssBytes ?? 0;
      const history = await fetch(`${gateway.baseUrl}/api/devices/${benchDeviceId(0)}/telemetry?limit=${historyLimit}`, { headers: { 'X-API-Key': BENCH_API_KEY } });
      const items = ((await history.json()) as { items?: unknown[] }).items ?? [];
      if (items.length !== historyLimit) throw new Error(`history holds ${items.length} messages, expected ${historyLimit}`);
      const jsonBytes = Buffer.byteLength(JSON.stringify(items[0]));
      const heapPerMessage = (after.memory.heapUsed - before.memory.heapUsed) / messages;
      const rssPerMessage = (rssAfter - rssBefore) / messages;
      const at10k = before.memory.heapUsed + heapPerMessage * 10_000 * historyLimit;
      return [{
        scenario: 'memory',
        config: `${devices} devices × HISTORY_LIMIT ${fmt(historyLimit)} = ${fmt(messages)} messages`,
        gateway: `${fmt(heapPerMessage)} heap bytes/message (RSS ${fmt(rssPerMessage)})`,
        baseline: `${fmt(jsonBytes)} bytes (one stored message as JSON)`,
        gatewayValue: heapPerMessage,
        baselineValue: jsonBytes,
        unit: 'bytes/message',
        ratio: Math.round((heapPerMessage / jsonBytes) * 100) / 100,
        cpuRatio: null,
        notes: [
          'ratio = heap per message / its JSON size (lower is better)',
          `heap ${fmt(before.memory.heapUsed / MiB)} → ${fmt(after.memory.heapUsed / MiB)} MiB after GC (gc ${after.afterGc ? 'forced' : 'not available'})`,
          `RSS ${fmt(rssBefore / MiB)} → ${fmt(rssAfter / MiB)} MiB`,
          `10,000 devices × ${fmt(historyLimit)}: ≈ ${fmt(at10k / 2 ** 30, 1)} GiB heap (extrapolated)` +
            (at10k > after.heapSizeLimit ? `, above V8's default heap limit here (${fmt(after.heapSizeLimit / 2 ** 30, 1)} GiB): needs --max-old-space-size or a lower HISTORY_LIMIT` : ''),
        ],
        saturated: [],
        processes: { gateway: [], baseline: [] },
        details: { before, after, rssBefore, rssAfter, heapPerMessage, rssPerMessage, jsonBytes, extrapolatedHeapBytesAt10kDevices: at10k },
      }];
    } finally {
      await gateway.stop();
    }
  } finally {
    await emulator.stop();
  }
}
