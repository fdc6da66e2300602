import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { SseClient, WsClient } from './live-clients.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';

/** The connection string of an emulator that was closed: its AMQP port on 127.0.0.1 refuses connections. */
async function closedHub(): Promise<string> {
  const emulator = await startEmulator();
  await emulator.close();
  return emulator.connectionString;
}

describe('the hub-wide status a live client starts with', () => {
  let gw: RunningGateway | undefined;
  const clients: Array<{ close(): void }> = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });

  it('with the hub on a closed port: a WebSocket gets the /readyz reason right after auth, an SSE stream at its start', async () => {
    gw = await startGateway(testConfig({ connectionString: await closedHub(), logLevel: 'warn' }), { initialDeviceIds: ['dev-1'] });
    const readyz = await eventually(async () => {
      const r = await json(fetch(`${gw!.url}/readyz`));
      expect(r.body.hubState).toBe('error');
      return r;
    }, { timeoutMs: 15_000 });
    expect(readyz).toEqual({ status: 503, body: { status: 'not_ready', hubState: 'error', reason: 'hub_unreachable' } });

    const ws = await WsClient.connect(`${gw.url.replace(/^http/, 'ws')}/api/ws`);
    clients.push(ws);
    ws.send({ type: 'auth', apiKey: TEST_API_KEY });
    await ws.waitFor((m) => m.type === 'devices');
    const [first, second] = ws.messages;
    expect(first).toMatchObject({ type: 'status', status: 'error', isConnected: false, reason: 'hub_unreachable' });
    expect(Object.keys(first!).sort()).toEqual(['detail', 'isConnected', 'reason', 'status', 'type']);
    expect(first!.detail).toMatch(/ECONNREFUSED|connect/i);
    expect(second).toMatchObject({ type: 'devices', devices: [{ deviceId: 'dev-1', status: 'registering', isConnected: false, units: {} }] });

    const sse = await SseClient.open(`${gw.url}/api/devices/dev-1/events`, { 'x-api-key': TEST_API_KEY });
    clients.push(sse);
    await eventually(() => expect(sse.events.length).toBeGreaterThanOrEqual(1));
    expect(sse.events[0]!.event).toBe('status');
    expect(JSON.parse(sse.events[0]!.data)).toMatchObject({ status: 'error', isConnected: false, reason: 'hub_unreachable' });
    expect(sse.body.startsWith('retry: 2000\n\nevent: status\n')).toBe(true);
  }, 30_000);

  it('without a hub: `closed` with its reason, before anything else', async () => {
    gw = await startGateway(testConfig());
    const ws = await WsClient.connect(`${gw.url.replace(/^http/, 'ws')}/api/ws?api_key=${TEST_API_KEY}`);
    clients.push(ws);
    await ws.waitFor((m) => m.type === 'devices');
    expect(ws.messages).toEqual([
      { type: 'status', status: 'closed', isConnected: false, reason: 'hub consumer closed: no device watched' },
      { type: 'devices', devices: [], defaultDevice: null, patterns: [] },
    ]);
  });
});
