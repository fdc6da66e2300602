import { storedHistory } from '../integration/support/gateway.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { eventually } from '../integration/support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from '../integration/support/gateway.js';
import { metric } from '../integration/support/helpers.js';

const DEVICE = 'probe-dev';
const PROBE_MS = 5_000;
/** Half the probe interval. */
const PROBE_TIMEOUT_MS = 2_500;
const STALL_MS = 10_000;
const READY = { status: 'ready', hubState: 'connected', reason: null };
const notReady = (reason: string) => ({ status: 'not_ready', hubState: 'error', reason });

describe('/readyz follows a periodic hub probe and per-partition progress', () => {
  let emulator: Emulator | undefined;
  let gw: RunningGateway | undefined;
  let clock: FakeClock;
  /** Fake ms since the probe was scheduled (it ticks at every multiple of PROBE_MS). */
  let elapsed = 0;
  afterEach(async () => {
    await gw?.close();
    await emulator?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
    emulator = undefined;
  });

  const readyz = async () => {
    const r = await json(fetch(`${gw?.url}/readyz`));
    return { status: r.status, body: r.body };
  };
  const probes = (result: 'ok' | 'failed') => metric(gw as RunningGateway, `gateway_hub_probes_total{result="${result}"}`);
  const states = async () => ({
    connected: await metric(gw as RunningGateway, 'gateway_hub_consumer_state{state="connected"}'),
    error: await metric(gw as RunningGateway, 'gateway_hub_consumer_state{state="error"}'),
    isConnected: (await json(gw?.api('/api/devices') as Promise<Response>)).body.devices?.[0]?.isConnected,
  });

  const advance = (ms: number) => {
    elapsed += ms;
    clock.advance(ms);
  };
  /**
   * Moves the fake clock to the next probe and waits (real time) for its result; one unanswered after 3 s is timed
   * out by moving the clock on. @returns the result counted.
   */
  async function probeNow(): Promise<'ok' | 'failed'> {
    const ok = await probes('ok');
    const failed = await probes('failed');
    const counted = async () => {
      const result = (await probes('ok')) > ok ? 'ok' : (await probes('failed')) > failed ? 'failed' : null;
      expect(result).not.toBeNull();
      return result as 'ok' | 'failed';
    };
    advance(PROBE_MS - (elapsed % PROBE_MS));
    try {
      return await eventually(counted, { timeoutMs: 3000 });
    } catch {
      advance(PROBE_TIMEOUT_MS);
      return eventually(counted);
    }
  }

  async function startWatching(amqpPort = 0): Promise<{ em: Emulator; running: RunningGateway }> {
    const em = (emulator = await startEmulator({ amqpPort }));
    clock = new FakeClock();
    elapsed = 0;
    const config = testConfig({ connectionString: em.connectionString, defaultDeviceId: DEVICE, hubProbeIntervalS: PROBE_MS / 1000, hubStallTimeoutS: STALL_MS / 1000 });
    const running = (gw = await startGateway(config, { clock }));
    await eventually(async () => expect(await readyz()).toEqual({ status: 200, body: READY }));
    return { em, running };
  }

  it('events waiting on a partition that delivers nothing for the stall timeout: 503 partition_stalled, then 200 once they arrive', async () => {
    const { em, running } = await startWatching();
    em.faults.holdDeliveries(600_000);
    for (let i = 0; i < 3; i += 1) await em.send(DEVICE, JSON.stringify({ i }));
    expect(await probeNow()).toBe('ok');
    expect(await probeNow()).toBe('ok');
    advance(STALL_MS - PROBE_MS - 1);
    expect(await readyz()).toEqual({ status: 200, body: READY });
    advance(1);
    expect(await readyz()).toEqual({ status: 503, body: notReady('partition_stalled') });
    expect(await states()).toEqual({ connected: 0, error: 1, isConnected: false });
    em.faults.holdDeliveries(0);
    await eventually(async () => expect(await readyz()).toEqual({ status: 200, body: READY }));
    expect((await storedHistory(running.app, DEVICE)).map((m) => m.sequenceNumber)).toEqual([0, 1, 2]);
    expect(await states()).toEqual({ connected: 1, error: 0, isConnected: true });
  });

  it('a stalled hub: a probe unanswered within its timeout gives 503 hub_unreachable; the next answered one, 200', async () => {
    const { em } = await startWatching();
    em.faults.stall(600_000);
    advance(PROBE_MS);
    advance(PROBE_TIMEOUT_MS - 1);
    expect(await readyz()).toEqual({ status: 200, body: READY });
    advance(1);
    await eventually(async () => expect(await readyz()).toEqual({ status: 503, body: notReady('hub_unreachable') }), { timeoutMs: 2000 });
    expect(await probes('failed')).toBe(1);
    expect(await states()).toEqual({ connected: 0, error: 1, isConnected: false });
    em.faults.stall(0);
    expect(await probeNow()).toBe('ok');
    expect(await readyz()).toEqual({ status: 200, body: READY });
    expect(await states()).toEqual({ connected: 1, error: 0, isConnected: true });
  });

  it('the hub killed: 503 hub_unreachable after the next probe, naming no address; 200 once it is back', async () => {
    const { em } = await startWatching();
    const port = em.amqpPort;
    await em.close();
    advance(PROBE_MS + PROBE_TIMEOUT_MS);
    // Sooner than the SDK's own retries (10 × 500 ms) give up: the probe is what reports it.
    const down = await eventually(async () => {
      const r = await readyz();
      expect(r).toEqual({ status: 503, body: notReady('hub_unreachable') });
      return r;
    }, { timeoutMs: 2000 });
    expect(JSON.stringify(down.body)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}|sb://`));
    expect(await states()).toEqual({ connected: 0, error: 1, isConnected: false });
    emulator = await startEmulator({ amqpPort: port });
    await eventually(async () => {
      expect(await probeNow()).toBe('ok');
      expect(await readyz()).toEqual({ status: 200, body: READY });
    }, { timeoutMs: 20_000, intervalMs: 0 });
    expect(await states()).toEqual({ connected: 1, error: 0, isConnected: true });
  });
});
