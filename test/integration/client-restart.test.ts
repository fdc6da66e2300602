import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient, type ClientState, type TelemetryMessage } from '../../client/src/index.js';
import { buildApp } from '../../src/app.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { positionOfResult } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { captureLogger, removeDir, testConfig, TEST_API_KEY } from './support/gateway.js';

type App = ReturnType<typeof buildApp>;

/** The real app on `port` (0: a free one); returns it and the port it listens on. */
async function listen(config: GatewayConfig, port: number): Promise<{ app: App; port: number }> {
  const app = buildApp(config, { sweepIntervalMs: 200, initialDeviceIds: ['dev-1'], logger: captureLogger('warn').logger });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port };
}

describe('GatewayClient across a gateway restart', () => {
  let emulator: Emulator | undefined;
  let app: App | undefined;
  let client: GatewayClient | undefined;
  let stateDir: string | undefined;
  afterEach(async () => {
    client?.close();
    await app?.close();
    await emulator?.close();
    if (stateDir) removeDir(stateDir);
  });

  it('resumes from the last position: every message once, in order, none missed while the gateway was down', async () => {
    emulator = await startEmulator();
    const config = testConfig({ connectionString: emulator.connectionString, store: 'embedded', logLevel: 'warn' });
    stateDir = config.stateDir;
    let running = await listen(config, 0);
    app = running.app;
    const registered = (a: App) => eventually(() => expect(a.registry.get('dev-1')?.status).toBe('registered'), { timeoutMs: 20_000 });
    await registered(app);
    await eventually(() => expect(new Set(emulator!.stats().receivers.map((r) => r.partitionId)).size).toBe(emulator!.partitionIds.length), { timeoutMs: 20_000 });

    const clock = new FakeClock();
    client = new GatewayClient({ url: `http://127.0.0.1:${running.port}`, apiKey: TEST_API_KEY, WebSocket, clock, backoff: { random: () => 0 } });
    const received: TelemetryMessage[] = [];
    const states: ClientState[] = [];
    client.on('telemetry', (m) => received.push(m));
    client.on('state', (s) => states.push(s));
    client.subscribe('dev-1');
    client.connect();
    await eventually(() => expect(client?.state.state).toBe('connected'));
    const send = async (from: number, to: number) => {
      const out: string[] = [];
      for (let i = from; i < to; i += 1) out.push(positionOfResult(await emulator!.send('dev-1', JSON.stringify({ i }), { contentType: 'application/json' })));
      return out;
    };
    const sent = await send(0, 3);
    await eventually(() => expect(received.length).toBe(3));

    await app.close();
    app = undefined;
    await eventually(() => expect(client?.state).toMatchObject({ state: 'reconnecting', code: 4503, attempt: 1, delayMs: 250 }));
    sent.push(...(await send(3, 6))); // while no gateway reads the hub

    running = await listen(config, running.port);
    app = running.app;
    await registered(app);
    await eventually(async () => {
      const latest = await app!.store.latest('dev-1');
      expect(latest && `${latest.partitionId}:${latest.sequenceNumber}`).toBe(sent[5]);
    }, { timeoutMs: 20_000 });
    clock.advance(250);
    await eventually(() => expect(received.length).toBe(6));
    sent.push(...(await send(6, 9)));
    await eventually(() => expect(received.length).toBe(9));

    expect(received.map((m) => m.position)).toEqual(sent);
    expect(received.map((m) => (m.body as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);
    expect(client.lastPositions.get('dev-1')).toBe(sent[8]);
  });
});
