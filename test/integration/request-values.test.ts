import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';

describe('request values of the wrong type or out of order', () => {
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

  it('refuses a history window whose since is later than until, and dates that do not exist', async () => {
    const history = (query: string) => json(gw.api(`/api/devices/dev-default/telemetry?${query}`));
    expect(await history('since=2030-01-01T00:00:00Z&until=2020-01-01T00:00:00Z')).toEqual({
      status: 400, body: { error: 'bad_request', message: 'since (2030-01-01T00:00:00.000Z) must not be later than until (2020-01-01T00:00:00.000Z)' },
    });
    for (const [name, value] of [['since', '2024-02-30'], ['until', '2023-02-29T10:00:00Z'], ['since', '2024-04-31T00:00:00Z']]) {
      expect(await history(`${name}=${value}`)).toEqual({
        status: 400, body: { error: 'bad_request', message: `${name} must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z` },
      });
    }
    expect(await history('since=2024-02-29&until=2024-02-29T00:00:00Z')).toEqual({ status: 200, body: { deviceId: 'dev-default', items: [] } });
  });

  it('says so when api_key is given more than once, instead of calling the key missing', async () => {
    for (const query of [`api_key=${TEST_API_KEY}&api_key=${TEST_API_KEY}`, `api_key=wrong&api_key=${TEST_API_KEY}`]) {
      expect(await json(fetch(`${gw.url}/api/devices?${query}`))).toEqual({
        status: 401, body: { error: 'unauthorized', message: 'the api_key query parameter is given more than once: send it once' },
      });
    }
  });

  it('answers a compressed register body with 415 (RFC 7694), not as malformed JSON', async () => {
    const answer = await json(gw.api('/api/register-device', {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync('{"deviceId":"gz-1"}'),
    }));
    expect(answer).toEqual({
      status: 415, body: { error: 'unsupported_media_type', message: 'unsupported content encoding "gzip": send the JSON body uncompressed' },
    });
    const identity = await json(gw.api('/api/register-device', {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'identity' }, body: '{"deviceId":"gz-1"}',
    }));
    expect(identity.status).toBe(202);
  });
});
