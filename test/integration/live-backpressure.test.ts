import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../../src/live/close-codes.js';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';

/** Messages of ~60 KiB, so a client that stops reading fills the loopback TCP buffers (a few MiB) quickly. */
const PAD = 'x'.repeat(60_000);
const COUNT = 160;
const GROUP = 4;

describe('WebSocket backpressure (WS_MAX_QUEUE=5, WS_SLOW_CLIENT_TIMEOUT=1 s)', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it.each(['batch=false', 'batch=true'])('drops for a client that stopped reading, then closes it 4429, while a fast client gets every sequence number (%s)', async (query) => {
    fx = await startLiveFixture({ wsMaxQueue: 5, wsSlowClientTimeoutS: 1 });
    const fast = await fx.ws({ key: TEST_API_KEY });
    const slow = await fx.ws({ key: TEST_API_KEY, query });
    for (const client of [fast, slow]) {
      client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
      await client.waitFor((m) => m.type === 'subscribed');
    }
    slow.socket.pause(); // stop reading: the kernel buffers fill, then the gateway's queue for this client

    // Sent in groups smaller than WS_MAX_QUEUE, each once the fast client has read the previous ones: a reading
    // client then never has a full queue, while the paused one falls further behind with every group.
    const results = [];
    for (let n = 0; n < COUNT; n += GROUP) {
      results.push(...(await fx.send('dev-1', Array.from({ length: GROUP }, (_, i) => ({ n: n + i, pad: PAD })))));
      await eventually(() => expect(fast.ofType('telemetry')).toHaveLength(n + GROUP), { timeoutMs: 20_000 });
    }
    expect(fast.ofType('telemetry').map((m) => m.position)).toEqual(results.map(positionOfResult));
    expect(fast.ofType('dropped')).toEqual([]);

    // The gateway has started closing the slow client's socket (close frame queued behind the unread data).
    await eventually(() => {
      const states = [...fx.gw.app.websocketServer.clients].map((c) => c.readyState);
      expect(states).toContain(WebSocket.CLOSING);
    }, { timeoutMs: 15_000 });
    slow.socket.resume();
    expect(await slow.closed).toBe(CloseCode.tooSlow);
    expect(slow.closeReason).toBe('too slow: send queue full');

    const dropped = slow.ofType('dropped');
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(dropped.every((d) => d.deviceId === 'dev-1' && typeof d.count === 'number' && d.count > 0)).toBe(true);
    const received = slow.ofType('telemetry').map((m) => Number(String(m.position).split(':')[1]));
    expect(received.length).toBeLessThan(COUNT);
    expect(received).toEqual([...received].sort((a, b) => a - b)); // in order, gaps only where dropped
    const droppedTotal = dropped.reduce((sum, d) => sum + (d.count as number), 0);
    expect(received.length + droppedTotal).toBeLessThanOrEqual(COUNT);

    await fast.roundTrip(); // the fast client was never slowed down or closed
    expect(fast.closeCode).toBeUndefined();
  }, 60_000);
});
