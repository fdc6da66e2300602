import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFixture, type LiveFixture } from '../integration/live-fixture.js';
import { eventually } from '../integration/support/eventually.js';

describe('shutdown with an open SSE stream', () => {
  let fx: LiveFixture | undefined;
  afterEach(async () => {
    await fx?.emulator.close();
    fx = undefined;
  });

  it('ends the stream without telling it that no device is watched (the hub closes after the live sessions)', async () => {
    fx = await startLiveFixture({}, ['dev-1']);
    const sse = await fx.sse('dev-1');
    await fx.send('dev-1', [{ n: 1 }]);
    await eventually(() => expect(sse.named('telemetry')).toHaveLength(1));
    const ended = new Promise<void>((resolve) => sse.response.once('end', () => resolve()));
    await fx.gw.close();
    await ended;
    // Only the hub-wide status the stream started with.
    expect(sse.named('status').map((e) => (JSON.parse(e.data) as { reason: string }).reason)).toEqual(['hub consumer reads every partition']);
  });
});
