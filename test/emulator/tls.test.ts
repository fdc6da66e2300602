import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { earliestEventPosition } from '@azure/event-hubs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { collect, eventually } from './helpers.js';

let emulator: Emulator;
let ca: string;

beforeAll(async () => {
  emulator = await startEmulator({ tls: true, partitions: 2 });
  ca = readFileSync(emulator.caFile!, 'utf8');
});
afterAll(async () => {
  await emulator.close();
});

/** The first bytes a TLS client gets back after sending `bytes`, or the TLS error. */
function exchange(bytes: string | Buffer, trust: string | undefined): Promise<{ reply?: string; error?: string; socket?: TLSSocket }> {
  return new Promise((resolve) => {
    const socket = connect({ host: 'localhost', port: emulator.amqpPort, ca: trust, servername: 'localhost' }, () => socket.write(bytes));
    socket.once('data', (data: Buffer) => {
      resolve({ reply: data.toString('latin1') });
      socket.destroy();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

function httpsStatus(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: 'localhost', port: emulator.amqpPort, path, ca, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the emulator with TLS', () => {
  it('prints a connection string without UseDevelopmentEmulator, for localhost, and a CA file', () => {
    expect(emulator.connectionString).toBe(
      `Endpoint=sb://localhost:${emulator.amqpPort}/;SharedAccessKeyName=iothubowner;` +
        `SharedAccessKey=${Buffer.from('local-iothub-emulator-not-a-secret').toString('base64')};EntityPath=iothub-ehub-local`,
    );
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('answers the AMQP header over TLS for a client trusting the CA and fails the handshake for one that does not', async () => {
    const header = Buffer.from('AMQP\x03\x01\x00\x00', 'latin1');
    expect(await exchange(header, ca)).toEqual({ reply: 'AMQP\x03\x01\x00\x00' });
    expect(await exchange(header, undefined)).toEqual({ error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('serves events to the official SDK over AMQP over WebSocket on the same port', async () => {
    const sent = await emulator.send('tls-device', Buffer.from([0x7b, 0x00, 0xff, 0x7d]), { properties: { n: 7 } });
    const reader = collect(emulator.connectionString, {
      partitionId: sent.partitionId,
      startPosition: earliestEventPosition,
      clientOptions: { webSocketOptions: { webSocket: WebSocket, webSocketConstructorOptions: { ca } } },
    });
    try {
      await eventually(() => expect(reader.events).toHaveLength(1));
      const event = reader.events[0]!;
      expect(event.sequenceNumber).toBe(sent.sequenceNumber);
      expect(Buffer.from(event.body)).toEqual(Buffer.from([0x7b, 0x00, 0xff, 0x7d]));
      expect(event.properties).toEqual({ n: 7 });
      expect(event.systemProperties?.['iothub-connection-device-id']).toBe('tls-device');
      expect(reader.errors).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('refuses other HTTP requests on the TLS port with 426, 404 or 400', async () => {
    expect((await httpsStatus('/', {})).status).toBe(426);
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    expect(await httpsStatus('/elsewhere', { ...upgrade, 'sec-websocket-protocol': 'AMQPWSB10' })).toEqual({
      status: 404, body: 'not found: AMQP over WebSocket is served at /$servicebus/websocket',
    });
    expect(await httpsStatus('/$servicebus/websocket', { ...upgrade, 'sec-websocket-protocol': 'mqtt' })).toEqual({
      status: 400, body: 'the WebSocket subprotocol must be AMQPWSB10',
    });
  });

  it('removes the generated CA file at close', async () => {
    const other = await startEmulator({ tls: true });
    const file = other.caFile!;
    expect(existsSync(file)).toBe(true);
    await other.close();
    expect(existsSync(file)).toBe(false);
  });
});
