import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, tempStateDir } from '../integration/support/gateway.js';
import { freePort } from '../support/free-port.js';
import { startGatewayChild, type GatewayChild } from './support/server-child.js';

describe('demo mode with HUB_TRANSPORT=websockets and HTTPS_PROXY set for a real hub', () => {
  let gateway: GatewayChild | undefined;
  let stateDir = '';
  afterEach(async () => {
    await gateway?.kill();
    removeDir(stateDir);
  });

  it('reads the embedded emulator over plain AMQP, ignoring both, and says so', async () => {
    stateDir = tempStateDir();
    const closed = await freePort();
    gateway = await startGatewayChild({ STATE_DIR: stateDir, STORE: 'memory', HUB_TRANSPORT: 'websockets', HTTPS_PROXY: `http://127.0.0.1:${closed}`, LOG_LEVEL: 'info' });
    const running = gateway;
    await eventually(async () => expect((await running.get('/readyz')).body).toEqual({ status: 'ready', hubState: 'connected', reason: null }), { timeoutMs: 20_000 });
    const output = running.output();
    expect(output).toContain('"msg":"demo mode reads the embedded emulator over plain AMQP: HUB_TRANSPORT and HTTPS_PROXY apply to a real hub only"');
    expect(output).toContain('"msg":"hub transport: amqp (plain AMQP with UseDevelopmentEmulator, port 5672 unless the endpoint names one)"');
  });
});
