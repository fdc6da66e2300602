import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';
import { FakeClock } from '../support/fake-clock.js';

describe('live subscriptions count as activity (INACTIVITY_TIMEOUT=2 s)', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('keeps subscribed devices active past the timeout, lets the others go inactive, and reactivates on subscribe', async () => {
    const clock = new FakeClock(Date.now());
    fx = await startLiveFixture({ inactivityTimeoutS: 2 }, ['by-ws', 'by-sse', 'idle'], { waitRegistered: false, clock });
    const ws = await fx.ws({ key: TEST_API_KEY });
    ws.send({ type: 'subscribe', deviceIds: ['by-ws'] });
    await ws.waitFor((m) => m.type === 'subscribed');
    const sse = await fx.sse('by-sse');
    expect(sse.status).toBe(200);
    await fx.waitRegistered(['by-ws', 'by-sse']); // held: no race with the 2 s timeout

    clock.advance(2_500);
    expect(await fx.statusOf('idle')).toBe('inactive');
    // `idle` was registered together with the others: without their subscriptions they would be inactive by now.
    clock.advance(2_500);
    expect(await fx.statusOf('by-ws')).toBe('registered');
    expect(await fx.statusOf('by-sse')).toBe('registered');
    expect(ws.ofType('status', 'idle')).toEqual([]); // status of devices it did not subscribe to is not pushed

    ws.send({ type: 'unsubscribe', deviceIds: ['by-ws'] });
    sse.close();
    // The releases arrive over the sockets; each poll then moves the clock past the timeout.
    await eventually(async () => {
      clock.advance(2_500);
      expect(await fx.statusOf('by-ws')).toBe('inactive');
      expect(await fx.statusOf('by-sse')).toBe('inactive');
    }, { timeoutMs: 15_000 });

    ws.send({ type: 'subscribe', deviceIds: ['idle'] });
    const subscribed = await ws.waitFor((m) => m.type === 'subscribed' && m.deviceId === 'idle');
    expect(subscribed.status).not.toBe('inactive');
    await fx.waitRegistered(['idle']);
    const [sent] = await fx.send('idle', [{ back: true }]);
    const telemetry = await ws.waitFor((m) => m.type === 'telemetry' && m.deviceId === 'idle');
    expect(telemetry).toMatchObject({ position: positionOfResult(sent!), body: { back: true } });
  }, 60_000);
});
