import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';

const post = (gw: RunningGateway, body: unknown) =>
  json(gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
const devices = async (gw: RunningGateway) => (await json(gw.api('/api/devices'))).body.devices;

describe('units of a registration', () => {
  let gw: RunningGateway;
  beforeEach(async () => {
    gw = await startGateway(testConfig());
  });
  afterEach(async () => {
    await gw.close();
    removeDir(gw.config.stateDir);
  });

  it('lists the given units, {} for a device registered without, and replaces them on a new registration', async () => {
    expect((await post(gw, { deviceId: 'meter', units: { voltage: 'V', 'power.active': 'kW' } })).status).toBe(202);
    expect((await post(gw, { deviceId: 'plain' })).status).toBe(202);
    const listed = await devices(gw);
    expect(listed?.map((d) => [d.deviceId, d.units])).toEqual([['meter', { voltage: 'V', 'power.active': 'kW' }], ['plain', {}]]);

    expect(await post(gw, { deviceId: 'meter', units: { current: 'A' } })).toMatchObject({ status: 200, body: { message: 'Device already registered' } });
    expect(await post(gw, { deviceId: 'plain' })).toMatchObject({ status: 200 });
    expect((await devices(gw))?.map((d) => d.units)).toEqual([{ current: 'A' }, {}]);
    expect(await post(gw, { deviceId: 'meter', units: {} })).toMatchObject({ status: 200 });
    expect((await devices(gw))?.map((d) => d.units)).toEqual([{}, {}]);
  });

  it('keeps units across a restart on the same STATE_DIR', async () => {
    await post(gw, { deviceId: 'meter', units: { voltage: 'V' } });
    await gw.close();
    gw = await startGateway(testConfig({ stateDir: gw.config.stateDir }));
    expect((await devices(gw))?.map((d) => [d.deviceId, d.units])).toEqual([['meter', { voltage: 'V' }]]);
  });

  it.each([
    [{ voltage: 5 }, 'invalid units: the unit of "voltage" must be a string'],
    [{ voltage: '' }, 'invalid body: body/units/voltage must NOT have fewer than 1 characters'],
    [{ voltage: 'kilovolt-amperes?' }, 'invalid body: body/units/voltage must NOT have more than 16 characters'],
    [Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, 'V'])), 'invalid body: body/units must NOT have more than 64 properties'],
    [['V'], 'invalid body: body/units must be object'],
    ['V', 'invalid body: body/units must be object'],
  ])('refuses units %j with 400 in the JSON error shape and registers nothing', async (units, message) => {
    expect(await post(gw, { deviceId: 'meter', units })).toEqual({ status: 400, body: { error: 'bad_request', message } });
    expect(await devices(gw)).toEqual([]);
  });
});
