import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, startGateway, testConfig, type RunningGateway } from '../integration/support/gateway.js';
import { eventually } from '../integration/support/eventually.js';

/** Opens `/api/ws` without a key, sends one frame with the reserved opcode 3 (masked, empty), resolves on close. */
function invalidFrameWithoutKey(url: string): Promise<void> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(
        'GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    );
    socket.once('data', () => socket.write(Buffer.from([0x83, 0x80, 1, 2, 3, 4])));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    setTimeout(() => socket.destroy(), 3_000).unref();
  });
}

describe('a client without the key cannot write warnings into the log', () => {
  let gw: RunningGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });

  it('invalid frames from 60 unauthenticated sockets give no warn or error line (they are logged at info)', async () => {
    gw = await startGateway(testConfig({ logLevel: 'info' }));
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 20 }, () => invalidFrameWithoutKey(gw!.url)));
    const entries = () => gw!.lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    await eventually(() => expect(entries().filter((e) => e.msg.startsWith('websocket client sent an invalid frame'))).toHaveLength(60));
    expect(entries().filter((e) => e.level >= 40).map((e) => e.msg)).toEqual([]);
  });
});
