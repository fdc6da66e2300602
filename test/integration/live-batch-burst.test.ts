import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';

describe('batched WebSocket frames in a burst longer than WS_MAX_QUEUE', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('loses nothing of a history replay to a batching client whose socket can take it, like a plain client', async () => {
    fx = await startLiveFixture({ wsMaxQueue: 8 });
    const watcher = await fx.ws({ key: TEST_API_KEY });
    watcher.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    await watcher.waitFor((m) => m.type === 'subscribed');
    const sent = await fx.send('dev-1', Array.from({ length: 30 }, (_, n) => ({ n })));
    const positions = sent.map(positionOfResult);
    await eventually(() => expect(watcher.ofType('telemetry')).toHaveLength(30)); // all stored: `from` is found
    for (const query of ['batch=false', 'batch=true']) {
      const client = await fx.ws({ key: TEST_API_KEY, query });
      await client.waitFor((m) => m.type === 'status');
      client.send({ type: 'subscribe', deviceIds: ['dev-1'], from: { 'dev-1': positions[0] } });
      await client.waitFor((m) => m.type === 'subscribed');
      await client.roundTrip();
      expect(client.ofType('dropped'), query).toEqual([]);
      expect(client.ofType('telemetry').map((m) => m.position), query).toEqual(positions.slice(1)); // `from` is exclusive
      expect(client.closeCode, query).toBeUndefined();
    }
  });
});
