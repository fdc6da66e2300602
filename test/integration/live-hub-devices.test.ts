import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFixture, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { json } from './support/gateway.js';

describe('GET /api/hub/devices', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('lists devices that sent messages while the consumer was open, registered or not, most recent first', async () => {
    fx = await startLiveFixture();
    expect(await json(fx.gw.api('/api/hub/devices'))).toEqual({ status: 200, body: { devices: [] } });
    await fx.send('stranger-01', [{ t: 1 }]);
    await fx.send('dev-1', [{ t: 2 }]);
    const [, last] = await fx.send('stranger-01', [{ t: 3 }, { t: 4 }]);
    await eventually(async () =>
      expect((await json(fx.gw.api('/api/hub/devices'))).body).toEqual({
        devices: [
          { deviceId: 'stranger-01', lastSeen: last!.enqueuedTime.toISOString(), messageCount: 3 },
          { deviceId: 'dev-1', lastSeen: expect.any(String) as unknown, messageCount: 1 },
        ],
      }),
    );
    // Not registered: nothing of it is stored.
    expect((await json(fx.gw.api('/api/devices/stranger-01/telemetry'))).status).toBe(404);
    const noKey = await json(fetch(`${fx.gw.url}/api/hub/devices`));
    expect(noKey).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  });
});
