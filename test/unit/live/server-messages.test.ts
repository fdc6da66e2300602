import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import {
  PONG, droppedMessage, errorMessage, refusedMessage, resetMessage, statusMessage, subscribedMessage, telemetryMessage,
} from '../../../src/live/server-messages.js';
import { ServerMessageSchema } from '../../../src/schemas/live-messages.js';
import { message } from '../store/telemetry-store-contract.js';

const check = TypeCompiler.Compile(ServerMessageSchema);

describe('server messages', () => {
  it('every builder makes a message of the protocol union, and the union refuses what is not one', () => {
    const m = message('dev-1', '0', 7);
    const state = { deviceId: 'dev-1', registeredAt: m.enqueuedTime, units: {}, lastSeen: null, lastQueried: null, status: 'registered' as const, isConnected: true, connectionState: null, connectionStateUpdatedAt: null };
    const built = [
      telemetryMessage(m), subscribedMessage(state, m), subscribedMessage(state, undefined),
      statusMessage({ deviceId: 'dev-1', status: 'inactive', isConnected: false, reason: 'device inactive' }),
      statusMessage({ status: 'connected', isConnected: true, reason: 'hub connection restored' }),
      resetMessage('dev-1'), errorMessage('bad_request', 'not JSON'), refusedMessage('not_found', 'x', ['a']),
      refusedMessage('limit_exceeded', 'y', ['a', 'b']), droppedMessage('dev-1', 3), PONG,
    ];
    for (const b of built) expect(check.Check(b), JSON.stringify(b)).toBe(true);
    expect(telemetryMessage(m)).toEqual({
      type: 'telemetry', deviceId: 'dev-1', position: '0:7', enqueuedTime: m.enqueuedTime, body: { n: 7 }, bodyEncoding: 'json', properties: {},
    });
    expect(refusedMessage('not_found', 'x', ['a'])).toEqual({ type: 'error', error: 'not_found', message: 'x', deviceIds: ['a'], deviceId: 'a' });
    for (const bad of [{ type: 'telemetry' }, { type: 'error', error: 'teapot', message: 'x' }, { type: 'dropped', deviceId: 'a', count: 0 }, { type: 'hello' }]) {
      expect(check.Check(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
