import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, tempStateDir } from '../integration/support/gateway.js';
import { freePort } from '../support/free-port.js';
import { startGatewayChild, type GatewayChild } from './support/server-child.js';

const USER = 'proxy-user-x7';
const PASSWORD = 'proxy-pass-Q9w8e7';

describe('a proxy URL with a password, in the whole output of a gateway process at LOG_LEVEL=debug', () => {
  let emulator: Emulator;
  let gateway: GatewayChild | undefined;
  let stateDir = '';
  beforeAll(async () => {
    emulator = await startEmulator({ tls: true });
  });
  afterEach(async () => {
    await gateway?.kill();
    removeDir(stateDir);
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('names the proxy as http://host:port only, in the start line, the error and /readyz', async () => {
    const port = await freePort();
    stateDir = tempStateDir();
    gateway = await startGatewayChild({
      EVENTHUB_CONNECTION_STRING: emulator.connectionString, STATE_DIR: stateDir, STORE: 'memory', DEVICE_ID: 'redaction-dev',
      LOG_LEVEL: 'debug', HUB_TRANSPORT: 'websockets', HUB_CA_FILE: emulator.caFile as string,
      HTTPS_PROXY: `http://${USER}:${PASSWORD}@127.0.0.1:${port}`,
    });
    const running = gateway;
    const readyz = await eventually(async () => {
      const r = await running.get<{ reason: string | null }>('/readyz');
      expect(r.body.reason).toBe('proxy_unreachable');
      return r;
    }, { timeoutMs: 15_000 });
    await eventually(() => expect(running.output()).toContain(`(ProxyUnreachable: proxy http://127.0.0.1:${port} unreachable: connect ECONNREFUSED 127.0.0.1:${port})`));
    const output = running.output();
    expect(output).toContain(`through proxy http://127.0.0.1:${port} (with credentials)`);
    for (const secret of [PASSWORD, USER, encodeURIComponent(PASSWORD), Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
      expect(output).not.toContain(secret);
      expect(JSON.stringify(readyz.body)).not.toContain(secret);
    }
  });
});
