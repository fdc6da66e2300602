import type { EmulatorInfo } from '../emulator-process.js';
import { BenchChild } from '../lib/bench-child.js';
import type { BenchContext } from '../lib/bench-context.js';
import { benchDeviceId, benchDeviceIds } from '../lib/bench-devices.js';
import { cpuWindows } from '../lib/cpu-windows.js';
import { eventually, sleep } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway, type GatewayProcess } from '../lib/gateway-process.js';
import { readSample } from '../lib/prometheus-text.js';
import { fmt, saturatedOf, type ResultRow } from '../lib/results.js';
import { mibPerMinute, type MemorySample } from '../lib/slope.js';
import type { LoadReport } from '../ws-load-client.js';
import { startEmulatorChild } from './emulator-child.js';

const MiB = 1048576;

/** Heap after a full GC (bench/gateway-probe.ts) and RSS of the gateway, `atS` seconds into the traffic. */
async function sampleMemory(gateway: GatewayProcess, atS: number): Promise<MemorySample> {
  const usage = await gateway.child.usage();
  return { atS, heapUsedBytes: usage.memory.heapUsed, rssBytes: usage.memory.rss };
}

/** Sums a field of the load clients' reports. */
const total = (reports: LoadReport[], pick: (r: LoadReport) => number): number => reports.reduce((s, r) => s + pick(r), 0);

/**
 * Soak (`npm run bench -- --soak`, not in CI): `soakMinutes` (default 8) at `soakRatePerS` events/s (500) over
 * `soakDevices` devices (50), `soakSubscribers` WebSocket subscribers (200, in load-client processes). The gateway's
 * heap after GC and RSS are sampled every `soakSampleS` seconds (30); the row reports their least-squares slope in
 * MiB per minute over the samples after the warm-up (`soakWarmupS`, 150 s, at most a quarter of the run). Exact
 * check after the traffic stops: every event stored, and each subscriber's deliveries plus its `dropped` counts equal
 * its device's events, with no close by the gateway.
 * @throws Error when a check fails or the gateway does not keep up within 60 s of the end.
 */
export async function soakScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const { soakMinutes, soakRatePerS: rate, soakDevices: devices, soakSubscribers: subscribers, soakSampleS: everyS } = ctx.sizes;
  if (subscribers % devices !== 0) throw new Error(`soakSubscribers (${subscribers}) must be a multiple of soakDevices (${devices})`);
  const durationS = soakMinutes * 60;
  const warmupS = Math.min(ctx.sizes.soakWarmupS, durationS / 4);
  const emulator = await startEmulatorChild(ctx);
  const { connectionString } = emulator.info as EmulatorInfo;
  const gateway = await startGateway({
    name: 'gateway-soak', connectionString, consumerGroup: 'bench-soak', deviceIds: benchDeviceIds(devices),
    startPosition: 'latest', logDir: ctx.logDir, env: { WS_MAX_CONNECTIONS: String(subscribers * 2) },
  });
  const processes = ctx.sizes.fanoutClientProcesses;
  const clients = await Promise.all(Array.from({ length: processes }, (_, p) =>
    BenchChild.start({ name: `ws-soak-${p}`, script: 'bench/ws-load-client.ts', logDir: ctx.logDir })));
  try {
    await eventually(async () => {
      if (readSample(await gateway.metrics(), 'gateway_hub_consumer_state', ['state', 'connected']) !== 1) throw new Error('hub consumer not connected');
    }, 60_000, 200);
    const url = `${gateway.baseUrl.replace('http', 'ws')}/api/ws?api_key=${BENCH_API_KEY}`;
    await Promise.all(clients.map((client, p) => {
      const deviceIds: string[] = [];
      for (let i = p; i < subscribers; i += processes) deviceIds.push(benchDeviceId(i % devices));
      return client.request('connect', { url, deviceIds, concurrency: 50 }, 300_000);
    }));
    ctx.log(`soak: ${soakMinutes} min at ${rate} events/s, ${devices} devices, ${subscribers} subscribers; samples every ${everyS} s, slope after ${warmupS} s`);
    const samples: MemorySample[] = [await sampleMemory(gateway, 0)];
    const windows = cpuWindows([[gateway.child, 'gateway'], [emulator, 'emulator'], ...clients.map((c) => [c, 'load'] as [BenchChild, 'load'])]);
    const started = performance.now();
    await emulator.request('startRate', { ratePerS: rate, deviceCount: devices });
    for (let next = everyS; next <= durationS; next += everyS) {
      await sleep(Math.max(0, started + next * 1000 - performance.now()));
      const sample = await sampleMemory(gateway, Math.round((performance.now() - started) / 100) / 10);
      samples.push(sample);
      ctx.log(`soak: ${sample.atS} s heap ${fmt(sample.heapUsedBytes / MiB, 1)} MiB, RSS ${fmt(sample.rssBytes / MiB, 1)} MiB`);
    }
    const { sent } = await emulator.request<{ sent: number }>('stopRate');
    const figures = windows();
    await eventually(async () => {
      const { stored } = await gateway.counts();
      if (stored !== sent) throw new Error(`stored ${stored} of ${sent}`);
    }, 60_000, 250);
    const perDevice = sent / devices;
    const expected = sent * (subscribers / devices);
    const reports = await eventually(async () => {
      const r = await Promise.all(clients.map((c) => c.request<LoadReport>('report')));
      if (total(r, (x) => x.received + x.dropped) !== expected) throw new Error(`delivered ${total(r, (x) => x.received)} + dropped ${total(r, (x) => x.dropped)} of ${expected}`);
      return r;
    }, 60_000, 250);
    const closes = reports.reduce<Record<string, number>>((all, r) => {
      for (const [code, n] of Object.entries(r.closes)) all[code] = (all[code] ?? 0) + n;
      return all;
    }, {});
    if (Object.keys(closes).length || total(reports, (r) => r.wrongDevice)) throw new Error(`closes ${JSON.stringify(closes)}, wrong device ${total(reports, (r) => r.wrongDevice)}`);
    const heapSlope = mibPerMinute(samples, warmupS, 'heapUsedBytes');
    const rssSlope = mibPerMinute(samples, warmupS, 'rssBytes');
    const after = samples.filter((s) => s.atS >= warmupS);
    const first = after[0];
    const last = after.at(-1);
    const range = (field: 'heapUsedBytes' | 'rssBytes') => (first && last ? `${fmt(first[field] / MiB, 1)} → ${fmt(last[field] / MiB, 1)} MiB` : 'n/a');
    return [{
      scenario: 'soak',
      config: `${soakMinutes} min, ${fmt(rate)} events/s, ${devices} devices, ${subscribers} WS subscribers`,
      gateway: `heap ${heapSlope ?? 'n/a'} MiB/min, RSS ${rssSlope ?? 'n/a'} MiB/min (after ${warmupS} s)`,
      baseline: 'flat (0 MiB/min)',
      gatewayValue: heapSlope,
      baselineValue: 0,
      unit: 'MiB/min (heap after GC)',
      ratio: null,
      cpuRatio: null,
      notes: [
        `heap ${range('heapUsedBytes')}, RSS ${range('rssBytes')} from ${first?.atS ?? '-'} s to ${last?.atS ?? '-'} s`,
        `${fmt(sent)} events (${fmt(perDevice)} per device), ${fmt(total(reports, (r) => r.received))} delivered, ${fmt(total(reports, (r) => r.dropped))} dropped`,
      ],
      saturated: saturatedOf(figures),
      processes: { gateway: figures, baseline: [] },
      details: { samples, warmupS, heapSlopeMiBPerMin: heapSlope, rssSlopeMiBPerMin: rssSlope, sent, delivered: total(reports, (r) => r.received), dropped: total(reports, (r) => r.dropped) },
    }];
  } finally {
    await emulator.request('stopRate').catch(() => undefined);
    await Promise.all(clients.map((c) => c.stop()));
    await gateway.stop();
    await emulator.stop();
  }
}
