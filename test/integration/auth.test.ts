import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { json, removeDir, startGateway, tempStateDir, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';
import { register } from './support/helpers.js';

describe('API key authentication', () => {
  const running: RunningGateway[] = [];
  const dirs: string[] = [];
  const start = async (...args: Parameters<typeof startGateway>) => {
    const gw = await startGateway(...args);
    running.push(gw);
    return gw;
  };
  afterEach(async () => {
    for (const gw of running.splice(0)) await gw.close();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  it('accepts the header or the query, refuses a wrong or missing key with 401 before anything else', async () => {
    const gw = await start(testConfig());
    dirs.push(gw.config.stateDir);
    expect((await json(fetch(`${gw.url}/api/devices`, { headers: { 'x-api-key': TEST_API_KEY } }))).status).toBe(200);
    expect((await json(fetch(`${gw.url}/api/devices?api_key=${TEST_API_KEY}`))).status).toBe(200);
    expect(await json(fetch(`${gw.url}/api/devices`, { headers: { 'x-api-key': 'wrong' } }))).toEqual({
      status: 401, body: { error: 'unauthorized', message: 'wrong API key' },
    });
    expect(await json(fetch(`${gw.url}/api/devices?api_key=${TEST_API_KEY}x`))).toMatchObject({ status: 401 });
    const missing = await json(fetch(`${gw.url}/api/devices`));
    expect(missing).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    // 401 wins over 404, 415 and 400.
    expect((await json(fetch(`${gw.url}/api/no-such-route`))).status).toBe(401);
    expect((await json(fetch(`${gw.url}/api/register-device`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }))).status).toBe(401);
    expect((await json(fetch(`${gw.url}/api/devices/bad%20id/telemetry`))).status).toBe(401);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const logged = gw.lines.join('\n');
    expect(logged).not.toContain(TEST_API_KEY);
    expect(logged).toContain('api_key=***');
  });

  it('is off with API_KEY= on loopback, and refused on a non-loopback HOST', async () => {
    const stateDir = tempStateDir();
    dirs.push(stateDir);
    const { config } = await loadConfig({ API_KEY: '', STATE_DIR: stateDir }, { dotenvPath: false });
    const gw = await start({ ...config, port: 0 });
    expect((await json(fetch(`${gw.url}/api/devices`))).status).toBe(200);
    await expect(loadConfig({ API_KEY: '', HOST: '0.0.0.0', STATE_DIR: stateDir }, { dotenvPath: false })).rejects.toThrow(
      /API_KEY: empty \(authentication off\) is refused on the non-loopback HOST 0\.0\.0\.0/,
    );
  });

  it('generates a key once, keeps it across restarts, never logs it, and keeps registrations', async () => {
    const stateDir = tempStateDir();
    dirs.push(stateDir);
    const first = await loadConfig({ STATE_DIR: stateDir }, { dotenvPath: false });
    expect(first.apiKeySource).toBe('generated');
    const key = first.config.apiKey ?? '';
    expect(key).toMatch(/^[A-Za-z0-9]{24}$/);
    let gw = await start({ ...first.config, port: 0 });
    expect((await register(gw, 'kept-device')).status).toBe(202);
    expect((await json(fetch(`${gw.url}/api/devices?api_key=${key}`))).status).toBe(200);
    await gw.close();
    running.splice(0);
    expect(gw.lines.join('\n')).not.toContain(key);

    const second = await loadConfig({ STATE_DIR: stateDir }, { dotenvPath: false });
    expect(second).toMatchObject({ apiKeySource: 'stored', config: { apiKey: key } });
    expect(readFileSync(join(stateDir, 'api-key'), 'utf8').trim()).toBe(key);
    gw = await start({ ...second.config, port: 0 });
    const devices = await json(gw.api('/api/devices'));
    expect(devices.body.devices?.map((d) => d.deviceId)).toEqual(['kept-device']);
    expect(gw.lines.join('\n')).not.toContain(key);
  });
});
