import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WsClient } from '../integration/live-clients.js';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, tempStateDir, TEST_API_KEY } from '../integration/support/gateway.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The real gateway process (`src/server.ts` under tsx, demo mode) and its combined output. */
interface GatewayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code and the ms from `kill` to exit. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

async function spawnGateway(stateDir: string): Promise<GatewayProcess> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, STATE_DIR: join(stateDir, 'state'), PORT: '0', API_KEY: TEST_API_KEY };
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await eventually(() => {
    const found = /URL:\s+(http:\/\/\S+)/.exec(output)?.[1];
    if (!found) throw new Error(`no banner yet: ${output}`);
    return found;
  }, { timeoutMs: 30_000 });
  return {
    child, url, output: () => output,
    async stop() {
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
  };
}

/** A raw TCP peer that completes the WebSocket handshake, then never reads nor answers anything. */
function mutePeer(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((done, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(
        `GET /api/ws?api_key=${TEST_API_KEY} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    );
    socket.once('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(chunk.toString('latin1')));
      socket.pause();
      done(socket);
    });
    socket.on('error', () => undefined);
  });
}

describe('shutdown of the real gateway process on SIGTERM', () => {
  let stateDir: string;
  let gateway: GatewayProcess | undefined;
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
    if (gateway?.child.exitCode === null) gateway.child.kill('SIGKILL');
    if (stateDir) removeDir(stateDir);
  });

  it('exits 0 within 3 s although a WebSocket peer never answers the close handshake', async () => {
    stateDir = tempStateDir();
    gateway = await spawnGateway(stateDir);
    sockets.push(await mutePeer(gateway.url));
    const { code, ms } = await gateway.stop();
    expect({ code, fast: ms < 3000 }).toEqual({ code: 0, fast: true });
    expect(gateway.output()).toMatch(/SIGTERM: shutting down/);
  }, 60_000);

  it('closes 50 connected clients with 4503 and exits 0', async () => {
    stateDir = tempStateDir();
    gateway = await spawnGateway(stateDir);
    const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/api/ws?api_key=${TEST_API_KEY}`;
    const clients = await Promise.all(Array.from({ length: 50 }, () => WsClient.connect(wsUrl)));
    await Promise.all(clients.map((c) => c.roundTrip()));
    const { code, ms } = await gateway.stop();
    const closes = await Promise.all(clients.map((c) => c.closed));
    expect(closes).toEqual(Array(50).fill(4503));
    expect(clients.map((c) => c.closeReason)).toEqual(Array(50).fill('server shutting down, reconnect'));
    expect({ code, fast: ms < 3000 }).toEqual({ code: 0, fast: true });
  }, 60_000);
});
