import WebSocket from 'ws';
import type { EmulatorStats } from '../../src/emulator/index.js';
import type { EmulatorInfo } from '../emulator-process.js';
import type { BenchChild } from '../lib/bench-child.js';
import { benchDeviceIds } from '../lib/bench-devices.js';
import type { BenchContext } from '../lib/bench-context.js';
import { cpuWindows } from '../lib/cpu-windows.js';
import { eventually } from '../lib/eventually.js';
import { BENCH_API_KEY, startGateway } from '../lib/gateway-process.js';
import { measureRate } from '../lib/measure-rate.js';
import { profileWindow } from '../lib/profile-window.js';
import { compareRuns, interleavedRuns } from '../lib/interleaved.js';
import { fmt, saturatedOf, type ResultRow } from '../lib/results.js';
import { startEmulatorChild } from './emulator-child.js';
import type { IngestRun } from './ingest-runs.js';

/** The live aggregate every device gets: 1 s buckets (so buckets close and are sent during the run), every function. */
const AGGREGATE = { interval: '1s', fields: ['voltages', 'currents', 'activePower', 'temperature', 'rssi'], fn: ['min', 'max', 'avg', 'sum', 'count', 'first', 'last'] };

/**
 * One run: a gateway (memory store, `latest`) with `deviceIds` registered and, when `aggregated`, one WebSocket client
 * subscribed to a live aggregate of every device; then `events` events over those devices, enqueued while the
 * emulator holds deliveries back, and the gateway's ingest rate (`gateway_events_received_total`) reading them. With aggregates, checks that
 * `aggregate` messages arrived.
 */
async function run(ctx: BenchContext, emulator: BenchChild, deviceIds: string[], events: number, aggregated: boolean, name: string): Promise<IngestRun & { aggregates: number }> {
  const { connectionString, httpPort } = emulator.info as EmulatorInfo;
  const hold = (durationMs: number) => fetch(`http://127.0.0.1:${httpPort}/_emulator/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'hold-deliveries', durationMs }),
  });
  const consumerGroup = `bench-${name}`;
  const gateway = await startGateway({
    name, connectionString, consumerGroup, deviceIds, startPosition: 'latest', logDir: ctx.logDir,
    env: { STORE: 'memory', WS_MAX_SUBSCRIPTIONS: String(deviceIds.length), WS_MAX_QUEUE: '100000' },
  });
  let socket: WebSocket | undefined;
  let aggregates = 0;
  try {
    await eventually(async () => {
      const stats = await emulator.request<EmulatorStats>('stats');
      if (stats.receivers.filter((r) => r.consumerGroup === consumerGroup).length < 4) throw new Error('receivers not attached');
    }, 60_000, 100);
    if (aggregated) {
      socket = new WebSocket(`${gateway.baseUrl.replace(/^http/, 'ws')}/api/ws?api_key=${BENCH_API_KEY}`);
      let subscribed = 0;
      socket.on('message', (data: Buffer) => {
        const type = (JSON.parse(data.toString('utf8')) as { type: string }).type;
        if (type === 'subscribed') subscribed += 1;
        else if (type === 'aggregate') aggregates += 1;
      });
      await new Promise<void>((resolve, reject) => socket!.once('open', resolve).once('error', reject));
      socket.send(JSON.stringify({ type: 'subscribe', deviceIds, aggregate: AGGREGATE }));
      await eventually(() => {
        if (subscribed < deviceIds.length) throw new Error(`${subscribed} of ${deviceIds.length} subscribed`);
      }, 30_000, 50);
    }
    // Deliveries held while the events are enqueued, so the gateway then reads them at its own pace.
    await hold(300_000);
    await emulator.request('preload', { events, deviceCount: deviceIds.length }, 300_000);
    const stopProfile = await profileWindow(ctx, gateway.child);
    let windows: ReturnType<typeof cpuWindows> | undefined;
    const measuring = measureRate(async () => (await gateway.counts()).received, {
      expected: events, timeoutMs: 300_000, onStart: () => (windows = cpuWindows([[gateway.child, aggregated ? 'gateway' : 'baseline'], [emulator, 'emulator']])),
    });
    await hold(0);
    const rate = await measuring;
    const processes = windows?.() ?? [];
    await stopProfile();
    if (rate.timedOut) throw new Error(`${name} read ${rate.endCount} of ${events} events`);
    if (aggregated) await eventually(() => {
      if (aggregates === 0) throw new Error('no aggregate message arrived');
    }, 10_000, 100);
    return { rate, processes, aggregates };
  } finally {
    socket?.close();
    await gateway.stop();
  }
}

/**
 * Scenario "aggregates": the ingest rate of a gateway with 1,000 registered devices, each with a live aggregate
 * (one WebSocket client, 1 s buckets, 5 fields of which 2 arrays, all 7 functions), against the same gateway without
 * aggregates, on the same emulator; runs interleaved, `repeats` each, median ratio with its min and max
 * (lib/interleaved.ts). Every event is of a registered device. Target: cost (1 − ratio) < 10 %.
 */
export async function aggregatesScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const deviceIds = benchDeviceIds(1000);
  const events = ctx.sizes.ingestEvents;
  const emulator = await startEmulatorChild(ctx);
  try {
    const { repeats } = ctx.sizes;
    let withCount = 0;
    let plainCount = 0;
    const runs = await interleavedRuns(repeats, 1,
      () => run(ctx, emulator, deviceIds, events, true, `gateway-aggregates-${withCount++}`),
      () => run(ctx, emulator, deviceIds, events, false, `gateway-plain-${plainCount++}`));
    const c = compareRuns(runs.gateway, runs.baseline, { gateway: (r) => r.rate.perS, baseline: (r) => r.rate.perS },
      { gateway: (r) => r.processes, baseline: (r) => r.processes }, 'events');
    const a = c.gatewayMedian;
    const p = c.baselineMedian;
    const ratio = c.ratio;
    return [{
      scenario: 'aggregates',
      config: `1,000 devices with a live aggregate each (1 s, 5 fields, 7 functions), ${fmt(events)} events`,
      gateway: `${fmt(a.rate.perS)} events/s`,
      baseline: `${fmt(p.rate.perS)} events/s (same gateway, no aggregates)`,
      gatewayValue: a.rate.perS,
      baselineValue: p.rate.perS,
      unit: 'events/s',
      ratio,
      cpuRatio: c.cpuRatio,
      spread: c.spread,
      notes: [
        'target: cost (1 − ratio) < 10 %',
        ratio === null ? 'cost n/a' : `cost ${(100 * (1 - ratio)).toFixed(1)} % (median)`,
        `${fmt(a.aggregates)} aggregate messages received`,
        ...c.notes,
      ],
      saturated: [...saturatedOf(a.processes), ...saturatedOf(p.processes, 'plain: ')],
      processes: { gateway: a.processes, baseline: p.processes },
      details: { withAggregates: runs.gateway.map((x) => x.rate), plain: runs.baseline.map((x) => x.rate), events, devices: deviceIds.length },
    }];
  } finally {
    await emulator.stop();
  }
}
