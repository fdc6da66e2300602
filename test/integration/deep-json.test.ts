import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { json, TEST_API_KEY } from './support/gateway.js';
import { metric } from './support/helpers.js';

/** `depth` nested JSON arrays: valid JSON that `JSON.parse` reads but `JSON.stringify` cannot write back (stack). */
const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('a device sending deeply nested JSON', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('keeps it as text with a decode error; live subscribers, REST and the process survive', async () => {
    fx = await startLiveFixture({}, ['deep-1']);
    const ws = await fx.ws({ key: TEST_API_KEY });
    ws.send({ type: 'subscribe', deviceId: 'deep-1' });
    await ws.waitFor((m) => m.type === 'subscribed');
    const sse = await fx.sse('deep-1');
    expect(sse.status).toBe(200);

    const deep = nestedArrays(20_000); // 40,000 bytes, well under IoT Hub's 256 KiB message limit
    const hostile = await fx.emulator.send('deep-1', deep, { contentType: 'application/json' });
    const [next] = await fx.send('deep-1', [{ temperature: 21.5 }]);

    const frame = await ws.waitFor((m) => m.type === 'telemetry' && m.position === positionOfResult(hostile));
    expect(frame).toMatchObject({ deviceId: 'deep-1', body: deep, bodyEncoding: 'text' });
    await ws.waitFor((m) => m.type === 'telemetry' && m.position === positionOfResult(next!));
    await eventually(() => expect(sse.named('telemetry').map((e) => e.id)).toEqual([positionOfResult(hostile), positionOfResult(next!)]));

    const history = await json(fx.gw.api('/api/devices/deep-1/telemetry'));
    expect(history.status).toBe(200);
    expect(history.body.items?.map((m) => [m.sequenceNumber, m.bodyEncoding])).toEqual([
      [next!.sequenceNumber, 'json'],
      [hostile.sequenceNumber, 'text'],
    ]);
    expect(await metric(fx.gw, 'gateway_decode_errors_total')).toBe(1);
    expect((await json(fetch(`${fx.gw.url}/healthz`))).status).toBe(200);
  });
});
