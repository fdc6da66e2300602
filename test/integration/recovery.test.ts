import { storedHistory } from './support/gateway.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';
import { logMessages } from './support/helpers.js';

describe('start positions and recovery', () => {
  let emulator: Emulator | undefined;
  let gw: RunningGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    await emulator?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
    emulator = undefined;
  });

  async function withFiveOld(startPosition: 'latest' | 'earliest'): Promise<number[]> {
    emulator = await startEmulator();
    for (let i = 0; i < 5; i += 1) expect((await emulator.send('pos-dev', JSON.stringify({ old: i }))).sequenceNumber).toBe(i);
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, defaultDeviceId: 'pos-dev', startPosition }));
    await eventually(() => expect(gw?.app.registry.get('pos-dev')?.status).toBe('registered'));
    const marker = await emulator.send('pos-dev', JSON.stringify({ marker: true }));
    await eventually(async () => expect((await gw!.app.store.latest('pos-dev'))?.sequenceNumber).toBe(marker.sequenceNumber));
    return (await storedHistory(gw.app, 'pos-dev')).map((m) => m.sequenceNumber);
  }

  it('latest stores none of the messages already in the partition', async () => {
    expect(await withFiveOld('latest')).toEqual([5]);
  });

  it('earliest stores all five', async () => {
    expect(await withFiveOld('earliest')).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('loses and duplicates nothing across a disconnect fault, and /readyz comes back to 200', async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, defaultDeviceId: 'flaky' }));
    await eventually(() => expect(gw?.app.registry.get('flaky')?.status).toBe('registered'));
    const sent: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      sent.push((await emulator.send('flaky', JSON.stringify({ i }))).sequenceNumber);
      if (i === 20) {
        await eventually(async () => expect((await storedHistory(gw!.app, 'flaky')).length).toBeGreaterThan(5));
        emulator.faults.disconnect();
      }
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await eventually(async () => expect((await storedHistory(gw!.app, 'flaky')).length).toBe(60), { timeoutMs: 25_000 });
    // A redelivery after the reconnect would come before a later event of the same partition: wait for a marker.
    sent.push((await emulator.send('flaky', JSON.stringify({ i: 60 }))).sequenceNumber);
    await eventually(async () => expect((await storedHistory(gw!.app, 'flaky')).length).toBeGreaterThanOrEqual(61));
    const stored = (await storedHistory(gw.app, 'flaky')).map((m) => m.sequenceNumber);
    expect(stored).toEqual(sent);
    expect(((await storedHistory(gw.app, 'flaky')).map((m) => (m.body as { i: number }).i))).toEqual(Array.from({ length: 61 }, (_, i) => i));
    await eventually(async () => expect((await json(fetch(`${gw?.url}/readyz`))).status).toBe(200), { timeoutMs: 20_000 });
    expect(emulator.stats().connections).toBe(1);
  });

  it('restarts from the checkpoint after the SDK runs out of retries (auth refused for 7 s): nothing lost or repeated', async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, defaultDeviceId: 'outage' }));
    const hubEvents: string[] = [];
    gw.app.live.services.status$.subscribe((e) => {
      if (e.deviceId === undefined) hubEvents.push(e.status);
    });
    await eventually(() => expect(gw?.app.registry.get('outage')?.status).toBe('registered'));
    const sent: number[] = [];
    for (let i = 0; i < 10; i += 1) sent.push((await emulator.send('outage', JSON.stringify({ i }))).sequenceNumber);
    await eventually(async () => expect((await storedHistory(gw!.app, 'outage')).length).toBe(10));
    emulator.faults.rejectAuth(7000);
    emulator.faults.disconnect();
    for (let i = 10; i < 30; i += 1) {
      sent.push((await emulator.send('outage', JSON.stringify({ i }))).sequenceNumber);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await eventually(async () => expect((await json(fetch(`${gw?.url}/readyz`))).body.hubState).toBe('error'), { timeoutMs: 15_000 });
    // The SDK's load-balancing loop waits 30 s after a failed management call before it claims the partitions again;
    // without releasing ownership on processClose it would wait for the 60 s ownership expiry instead.
    await eventually(async () => expect((await storedHistory(gw!.app, 'outage')).length).toBe(30), { timeoutMs: 50_000, intervalMs: 250 });
    expect((await storedHistory(gw.app, 'outage')).map((m) => m.sequenceNumber)).toEqual(sent);
    await eventually(async () => expect((await json(fetch(`${gw?.url}/readyz`))).status).toBe(200), { timeoutMs: 15_000 });
    expect(hubEvents).toContain('error');
    expect(hubEvents.at(-1)).toBe('connected');
  }, 100_000);

  it('an expired SharedAccessSignature fails loudly: error log and /readyz 503 with the reason', async () => {
    emulator = await startEmulator();
    const endpoint = /Endpoint=[^;]+/.exec(emulator.connectionString)?.[0] ?? '';
    const expired = Math.floor(Date.now() / 1000) - 3600;
    const sas = `SharedAccessSignature sr=${encodeURIComponent(endpoint.slice('Endpoint='.length))}&sig=${encodeURIComponent('bm90LWEtcmVhbC1zaWduYXR1cmU=')}&se=${expired}&skn=iothubowner`;
    const connectionString = `${endpoint};SharedAccessSignature=${sas};EntityPath=${emulator.hubName};UseDevelopmentEmulator=true`;
    gw = await startGateway(testConfig({ connectionString, defaultDeviceId: 'locked-out' }));
    const ready = await eventually(async () => {
      const r = await json(fetch(`${gw?.url}/readyz`));
      expect(r.status).toBe(503);
      expect(r.body.hubState).toBe('error');
      return r;
    }, { timeoutMs: 20_000 });
    expect(ready.body.reason).toMatch(/^unauthorized: the hub rejected the connection string's credentials/);
    const errors = gw.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
    expect(errors.some((l) => /unauthorized/.test(l.msg))).toBe(true);
    expect(logMessages(gw).join('\n')).not.toContain('bm90LWEtcmVhbC1zaWduYXR1cmU');
    expect((await json(gw.api('/api/devices'))).body.devices?.[0]).toMatchObject({ deviceId: 'locked-out', status: 'registering', isConnected: false });
  });
});
