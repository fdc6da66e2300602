import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllowedHosts } from '../../src/config/allowed-hosts.js';
import { generateApiKey, isLoopbackHost, resolveApiKey } from '../../src/config/api-key.js';
import { parseConnectionString } from '../../src/config/connection-string.js';
import { parseEnv } from '../../src/config/env-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { parseStartPosition } from '../../src/config/start-position.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gateway-config-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const KEY = 'c2VjcmV0LWtleS12YWx1ZQ==';

describe('parseEnv', () => {
  it('applies the defaults', () => {
    expect(parseEnv({})).toEqual({
      CONSUMER_GROUP: '$Default', INACTIVITY_TIMEOUT: 3600, PORT: 5000, HOST: '127.0.0.1', START_POSITION: 'latest',
      HISTORY_LIMIT: 1000, STATE_DIR: './.data', LOG_LEVEL: 'info', ALLOW_UNAUTHENTICATED_REMOTE: false, CORS_ORIGINS: '',
      WS_HEARTBEAT_INTERVAL: 30, WS_MAX_QUEUE: 1000, WS_SLOW_CLIENT_TIMEOUT: 10, WS_MAX_SUBSCRIPTIONS: 100,
      WS_MAX_CONNECTIONS: 10000, SSE_HEARTBEAT_INTERVAL: 15, WS_MAX_PENDING_AUTH: 100, WS_AUTH_TIMEOUT: 2,
      ALLOWED_HOSTS: '', AUTH_FAIL_LIMIT: 20, AUTH_FAIL_WINDOW: 60, HUB_PROBE_INTERVAL: 5, HUB_STALL_TIMEOUT: 10,
      STORE: 'embedded', PARTITION_BALANCING: 'greedy', PARTITION_CLAIM_INTERVAL: 2, PARTITION_OWNERSHIP_EXPIRY: 10,
      HUB_EVENTS_LIMIT: 100, AGGREGATE_GRACE: 2, MAX_INFLATED_BODY: 1_048_576, PROTO_TYPE_PROPERTY: 'messageType', MAX_PATTERN_DEVICES: 1000,
      HUB_REDISCOVER_AFTER: 60, HUB_TRANSPORT: 'amqp', CHECKPOINT_STORE: 'store', CHECKPOINT_CONTAINER: 'gateway-checkpoints',
    });
  });

  it('converts numbers and booleans and names the bad key', () => {
    expect(parseEnv({ PORT: '8080', ALLOW_UNAUTHENTICATED_REMOTE: 'true', API_KEY: '' })).toMatchObject({
      PORT: 8080, ALLOW_UNAUTHENTICATED_REMOTE: true, API_KEY: '',
    });
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/^Invalid configuration PORT: .*"eighty"/);
    expect(() => parseEnv({ INACTIVITY_TIMEOUT: '-1' })).toThrow(/INACTIVITY_TIMEOUT/);
    expect(() => parseEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ ALLOW_UNAUTHENTICATED_REMOTE: 'yes please' })).toThrow(/ALLOW_UNAUTHENTICATED_REMOTE/);
  });

  // Regression: TypeBox's Convert truncated these (INACTIVITY_TIMEOUT=1e3 became 1 s, PORT=5e3 became port 5).
  it.each([
    ['INACTIVITY_TIMEOUT', '1e3'],
    ['INACTIVITY_TIMEOUT', '1.5'],
    ['INACTIVITY_TIMEOUT', '0x10'],
    ['HISTORY_LIMIT', '1e3'],
    ['PORT', '5e3'],
    ['WS_MAX_QUEUE', '+100'],
  ])('refuses %s=%s instead of truncating it', (key, value) => {
    expect(() => parseEnv({ [key]: value })).toThrow(
      `Invalid configuration ${key}: expected a whole number in decimal digits (got "${value}")`,
    );
  });

  it('accepts whole numbers with surrounding spaces', () => {
    expect(parseEnv({ INACTIVITY_TIMEOUT: ' 1000 ', HISTORY_LIMIT: '50' })).toMatchObject({ INACTIVITY_TIMEOUT: 1000, HISTORY_LIMIT: 50 });
  });
});

describe('parseConnectionString', () => {
  const ok = `Endpoint=sb://ihsuprodblres055dednamespace.servicebus.windows.net/;SharedAccessKeyName=iothubowner;SharedAccessKey=${KEY};EntityPath=iothub-ehub-myhub-123`;

  it('accepts the Event Hub-compatible form', () => {
    expect(parseConnectionString(ok)).toEqual({
      kind: 'eventhub', fullyQualifiedNamespace: 'ihsuprodblres055dednamespace.servicebus.windows.net', eventHubName: 'iothub-ehub-myhub-123',
      useDevelopmentEmulator: false, usesSignature: false,
    });
    expect(parseConnectionString('Endpoint=sb://127.0.0.1:5672/;SharedAccessSignature=SharedAccessSignature sr=x&sig=y&se=1&skn=k;EntityPath=hub;UseDevelopmentEmulator=true'))
      .toMatchObject({ useDevelopmentEmulator: true, usesSignature: true, eventHubName: 'hub' });
  });

  it('accepts the IoT Hub form, with the hub name from the first DNS label and an optional port', () => {
    expect(parseConnectionString(`HostName=MyHub-01.azure-devices.net;SharedAccessKeyName=service;SharedAccessKey=${KEY}`)).toEqual({
      kind: 'iothub', hostName: 'MyHub-01.azure-devices.net', host: 'MyHub-01.azure-devices.net', port: null, hubName: 'MyHub-01',
      sharedAccessKeyName: 'service', sharedAccessKey: KEY,
    });
    expect(parseConnectionString(` hostname=localhost:5671;sharedaccesskeyname=iothubowner;sharedaccesskey=${KEY} `)).toEqual({
      kind: 'iothub', hostName: 'localhost:5671', host: 'localhost', port: 5671, hubName: 'localhost',
      sharedAccessKeyName: 'iothubowner', sharedAccessKey: KEY,
    });
  });

  it('names the missing or conflicting part and never quotes the key', () => {
    const cases: [string, RegExp][] = [
      [`SharedAccessKeyName=a;SharedAccessKey=${KEY};EntityPath=h`, /no Endpoint/],
      [`Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=${KEY}`, /no EntityPath/],
      ['Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a;EntityPath=h', /SharedAccessKeyName but no SharedAccessKey/],
      [`Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=${KEY};SharedAccessSignature=sig;EntityPath=h`, /both SharedAccessSignature and SharedAccessKey/],
      [`HostName=myhub.azure-devices.net;DeviceId=thermo-1;SharedAccessKey=${KEY}`, /device connection string \(DeviceId=\.\.\.\).*Shared access policies.*--policy-name service/],
      [`HostName=myhub.azure-devices.net;DeviceId=gw;ModuleId=m;SharedAccessKey=${KEY}`, /device connection string \(ModuleId=\.\.\.\)/],
      [`HostName=myhub.azure-devices.net;SharedAccessKey=${KEY}`, /no SharedAccessKeyName.*Shared access policies/],
      ['HostName=myhub.azure-devices.net;SharedAccessKeyName=service', /no SharedAccessKey\./],
      ['HostName=myhub.azure-devices.net;SharedAccessKeyName=service;SharedAccessKey=abc$%', /SharedAccessKey is not base64/],
      [`HostName=my hub/x;SharedAccessKeyName=service;SharedAccessKey=${KEY}`, /HostName must look like <hub>\.azure-devices\.net/],
      [`HostName=myhub.azure-devices.net:70000;SharedAccessKeyName=service;SharedAccessKey=${KEY}`, /HostName must look like/],
      [`HostName=myhub.azure-devices.net;SharedAccessSignature=SharedAccessSignature sr=x&sig=${KEY}&se=1&skn=service`, /needs the policy's SharedAccessKey/],
    ];
    for (const [text, message] of cases) {
      let error: Error | undefined;
      try {
        parseConnectionString(text);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(KEY);
    }
  });
});

describe('API key', () => {
  it('generates 24 alphanumeric characters, different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  it('stores a generated key with mode 0600 and reuses it', async () => {
    const stateDir = tempDir();
    const first = await resolveApiKey({ envValue: undefined, stateDir, host: '127.0.0.1', allowUnauthenticatedRemote: false });
    expect(first.source).toBe('generated');
    expect(first.apiKey).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(readFileSync(join(stateDir, 'api-key'), 'utf8').trim()).toBe(first.apiKey);
    expect(statSync(join(stateDir, 'api-key')).mode & 0o777).toBe(0o600);
    const second = await resolveApiKey({ envValue: undefined, stateDir, host: '127.0.0.1', allowUnauthenticatedRemote: false });
    expect(second).toEqual({ apiKey: first.apiKey, source: 'stored' });
  });

  it('turns auth off with API_KEY= on loopback only, unless allowed', async () => {
    const stateDir = tempDir();
    expect(await resolveApiKey({ envValue: '', stateDir, host: '127.0.0.1', allowUnauthenticatedRemote: false })).toEqual({ apiKey: null, source: 'disabled' });
    await expect(resolveApiKey({ envValue: '', stateDir, host: '0.0.0.0', allowUnauthenticatedRemote: false })).rejects.toThrow(/API_KEY.*non-loopback HOST 0\.0\.0\.0/);
    expect(await resolveApiKey({ envValue: '', stateDir, host: '0.0.0.0', allowUnauthenticatedRemote: true })).toEqual({ apiKey: null, source: 'disabled' });
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('192.168.1.4')).toBe(false);
  });
});

describe('loadConfig', () => {
  it('builds the GatewayConfig from the environment', async () => {
    const stateDir = tempDir();
    const { config, apiKeySource, warnings } = await loadConfig(
      { STATE_DIR: stateDir, API_KEY: 'k123k123k123k123', DEVICE_ID: 'Dev#1+a%', START_POSITION: '2021-02-25T20:55:51Z', CORS_ORIGINS: 'https://a.example, https://b.example', INACTIVITY_TIMEOUT: '2' },
      { dotenvPath: false },
    );
    expect(apiKeySource).toBe('env');
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      apiKey: 'k123k123k123k123', defaultDeviceId: 'Dev#1+a%', inactivityTimeoutS: 2, stateDir, connectionString: null,
      corsOrigins: ['https://a.example', 'https://b.example'],
    });
    expect(config.startPosition).toEqual(new Date('2021-02-25T20:55:51.000Z'));
  });

  it('rejects a bad DEVICE_ID, START_POSITION or connection string by name', async () => {
    const stateDir = tempDir();
    await expect(loadConfig({ STATE_DIR: stateDir, DEVICE_ID: 'bad id' }, { dotenvPath: false })).rejects.toThrow(/DEVICE_ID/);
    await expect(loadConfig({ STATE_DIR: stateDir, START_POSITION: 'yesterday' }, { dotenvPath: false })).rejects.toThrow(/START_POSITION/);
    await expect(loadConfig({ STATE_DIR: stateDir, EVENTHUB_CONNECTION_STRING: `HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey=${KEY}` }, { dotenvPath: false }))
      .rejects.toThrow(/device connection string/);
    const iotHub = `HostName=h.azure-devices.net;SharedAccessKeyName=a;SharedAccessKey=${KEY}`;
    expect((await loadConfig({ STATE_DIR: stateDir, IOTHUB_CONNECTION_STRING: iotHub }, { dotenvPath: false })).config.connectionString).toBe(iotHub);
    expect(parseStartPosition('earliest')).toBe('earliest');
  });

  it('refuses STORE=redis without a connection string and an ownership expiry not longer than the claim interval; warns of an unused REDIS_URL', async () => {
    const hub = `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=${KEY};EntityPath=hub`;
    const redis = { STATE_DIR: tempDir(), REDIS_URL: 'redis://:secret-pass@127.0.0.1:6379' };
    await expect(loadConfig({ ...redis, STORE: 'redis' }, { dotenvPath: false })).rejects.toThrow('Invalid configuration STORE: redis needs EVENTHUB_CONNECTION_STRING');
    await expect(loadConfig({ ...redis, STORE: 'redis', EVENTHUB_CONNECTION_STRING: hub, PARTITION_CLAIM_INTERVAL: '2', PARTITION_OWNERSHIP_EXPIRY: '2' }, { dotenvPath: false }))
      .rejects.toThrow('Invalid configuration PARTITION_OWNERSHIP_EXPIRY: must be longer than PARTITION_CLAIM_INTERVAL (2 s)');
    expect((await loadConfig({ ...redis, STORE: 'redis', EVENTHUB_CONNECTION_STRING: hub }, { dotenvPath: false })).config.store).toBe('redis');
    const { warnings } = await loadConfig({ ...redis, STORE: 'embedded' }, { dotenvPath: false });
    expect(warnings).toEqual(['REDIS_URL is set but STORE is embedded: Redis is not used (set STORE=redis to share state between instances).']);
    expect(warnings.join(' ')).not.toContain('secret-pass');
  });

  it('takes IOTHUB_CONNECTION_STRING as an alias and refuses two different strings without quoting either', async () => {
    const hub = `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=${KEY};EntityPath=e`;
    const other = hub.replace('EntityPath=e', 'EntityPath=f');
    expect((await loadConfig({ STATE_DIR: tempDir(), IOTHUB_CONNECTION_STRING: hub }, { dotenvPath: false })).config.connectionString).toBe(hub);
    expect((await loadConfig({ STATE_DIR: tempDir(), IOTHUB_CONNECTION_STRING: hub, EVENTHUB_CONNECTION_STRING: hub }, { dotenvPath: false })).config.connectionString).toBe(hub);
    const both = loadConfig({ STATE_DIR: tempDir(), IOTHUB_CONNECTION_STRING: hub, EVENTHUB_CONNECTION_STRING: other }, { dotenvPath: false });
    await expect(both).rejects.toThrow(/^Invalid configuration IOTHUB_CONNECTION_STRING: EVENTHUB_CONNECTION_STRING is set too/);
    await expect(both).rejects.not.toThrow(KEY);
  });

  it('reads the transport, proxy, CA and checkpoint keys, refusing what cannot work', async () => {
    const hub = `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=${KEY};EntityPath=e`;
    const dir = tempDir();
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const { config } = await loadConfig({
      STATE_DIR: dir, EVENTHUB_CONNECTION_STRING: hub, HUB_TRANSPORT: 'websockets', HUB_CA_FILE: ca, https_proxy: 'http://proxy:3128',
      no_proxy: 'localhost, .Corp.example', CHECKPOINT_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', HUB_REDISCOVER_AFTER: '5',
    }, { dotenvPath: false });
    expect(config).toMatchObject({
      hubTransport: 'websockets', httpsProxy: 'http://proxy:3128', noProxy: ['localhost', '.corp.example'], checkpointStore: 'blob',
      azureStorageConnectionString: 'UseDevelopmentStorage=true', checkpointContainer: 'gateway-checkpoints', hubRediscoverAfterS: 5,
    });
    expect(config.hubCaPem).toContain('BEGIN CERTIFICATE');
    const base = { STATE_DIR: dir, EVENTHUB_CONNECTION_STRING: hub };
    await expect(loadConfig({ ...base, HUB_TRANSPORT: 'tcp' }, { dotenvPath: false })).rejects.toThrow(/HUB_TRANSPORT/);
    await expect(loadConfig({ ...base, HUB_CA_FILE: join(dir, 'missing.pem') }, { dotenvPath: false })).rejects.toThrow(/^Invalid configuration HUB_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/);
    writeFileSync(join(dir, 'empty.pem'), 'not a certificate');
    await expect(loadConfig({ ...base, HUB_CA_FILE: join(dir, 'empty.pem') }, { dotenvPath: false })).rejects.toThrow(/holds no PEM certificate/);
    const badProxy = loadConfig({ ...base, HTTPS_PROXY: 'proxy:secretpw@3128' }, { dotenvPath: false });
    await expect(badProxy).rejects.toThrow(/^Invalid configuration HTTPS_PROXY/);
    await expect(badProxy).rejects.not.toThrow('secretpw');
    await expect(loadConfig({ ...base, CHECKPOINT_STORE: 'blob' }, { dotenvPath: false })).rejects.toThrow(/AZURE_STORAGE_CONNECTION_STRING: required with CHECKPOINT_STORE=blob/);
    await expect(loadConfig({ STATE_DIR: dir, CHECKPOINT_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }, { dotenvPath: false }))
      .rejects.toThrow(/CHECKPOINT_STORE: blob needs EVENTHUB_CONNECTION_STRING/);
    await expect(loadConfig({ ...base, CHECKPOINT_CONTAINER: 'Bad_Name' }, { dotenvPath: false })).rejects.toThrow(/CHECKPOINT_CONTAINER/);
    const { warnings } = await loadConfig({ ...base, AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }, { dotenvPath: false });
    expect(warnings).toContain('AZURE_STORAGE_CONNECTION_STRING is set but CHECKPOINT_STORE is not blob: Blob storage is not used.');
  });

  it('warns when authentication is off', async () => {
    const { config, warnings } = await loadConfig({ STATE_DIR: tempDir(), API_KEY: '' }, { dotenvPath: false });
    expect(config.apiKey).toBeNull();
    expect(warnings[0]).toMatch(/authentication is OFF/);
  });
});

describe('security keys', () => {
  it('refuses an API_KEY shorter than 16 characters, naming the key and never quoting it', async () => {
    const attempt = loadConfig({ STATE_DIR: tempDir(), API_KEY: 'abcd' }, { dotenvPath: false });
    await expect(attempt).rejects.toThrow(/API_KEY: 4 characters is too short.*at least 16/);
    await expect(attempt).rejects.not.toThrow(/abcd/);
    const { config } = await loadConfig({ STATE_DIR: tempDir(), API_KEY: 'x'.repeat(16) }, { dotenvPath: false });
    expect(config.apiKey).toBe('x'.repeat(16));
  });

  it('defaults ALLOWED_HOSTS to the loopback names on a loopback HOST and to any host otherwise', async () => {
    expect(parseAllowedHosts('', '127.0.0.1')).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(parseAllowedHosts('', '0.0.0.0')).toBeNull();
    expect(parseAllowedHosts(' GW.example.com, [::1] ', '0.0.0.0')).toEqual(['gw.example.com', '::1']);
    expect(parseAllowedHosts('a.example,*', '127.0.0.1')).toBeNull();
    const { config } = await loadConfig({ STATE_DIR: tempDir(), API_KEY: 'x'.repeat(16) }, { dotenvPath: false });
    expect(config).toMatchObject({
      allowedHosts: ['localhost', '127.0.0.1', '::1'], wsMaxPendingAuth: 100, wsAuthTimeoutS: 2, authFailLimit: 20,
      authFailWindowS: 60, hubProbeIntervalS: 5, hubStallTimeoutS: 10,
    });
  });
});
