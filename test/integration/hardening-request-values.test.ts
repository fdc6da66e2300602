import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';

describe('hardening: request values of the wrong type or out of order', () => {
  let gw: RunningGateway;
  beforeEach(async () => {
    gw = await startGateway(testConfig({ defaultDeviceId: 'dev-default' }));
  });
  afterEach(async () => {
    await gw.close();
    removeDir(gw.config.stateDir);
  });

  const register = (body: string) =>
    json(gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));

  it('refuses a deviceId that is not a JSON string instead of registering its coerced text', async () => {
    for (const body of ['{"deviceId":123}', '{"deviceId":true}', '{"deviceId":["dev-a"]}', '{"deviceId":null}']) {
      expect(await register(body)).toEqual({
        status: 400, body: { error: 'bad_request', message: 'invalid deviceId: device ID must be a string' },
      });
    }
    const list = await json(gw.api('/api/devices'));
    expect(list.body.devices?.map((d) => d.deviceId)).toEqual(['dev-default']);
    expect((await register('{"deviceId":"123"}')).status).toBe(202);
  });
});
