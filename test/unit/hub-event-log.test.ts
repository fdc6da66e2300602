import { describe, expect, it } from 'vitest';
import { createHubEventLog, queryHubEvents, recordHubEvent } from '../../src/devices/hub-event-log.js';
import type { HubEvent } from '../../src/schemas/live-messages.js';

const connection = (opType: string, sequenceNumber: string, position: string, extra: Partial<HubEvent> = {}): HubEvent => ({
  deviceId: 'dev-1', moduleId: null, eventType: 'deviceConnectionStateEvents', opType, position,
  enqueuedTime: '2026-01-01T00:00:00.000Z', properties: { opType, operationTimestamp: `2026-01-01T00:00:0${position.slice(-1)}Z` },
  body: { sequenceNumber }, ...extra,
});

describe('hub event log', () => {
  it('orders connection state by sequenceNumber as a string; equal, older and module events do not change it', () => {
    const log = createHubEventLog();
    expect(recordHubEvent(log, connection('deviceConnected', '0B', '0:1'), 10)).toBe('state-changed');
    expect(recordHubEvent(log, connection('deviceDisconnected', '0A', '0:2'), 10)).toBe('kept');
    expect(recordHubEvent(log, connection('deviceDisconnected', '0B', '0:3'), 10)).toBe('kept');
    expect(recordHubEvent(log, connection('deviceDisconnected', '0C', '0:4', { moduleId: 'm1' }), 10)).toBe('kept');
    expect(log).toMatchObject({ connectionState: 'connected', connectionStateUpdatedAt: '2026-01-01T00:00:01.000Z', connectionSequence: '0B' });
    // Compared as strings, not as numbers: "9" > "0B", "10" < "9".
    expect(recordHubEvent(log, connection('deviceDisconnected', '9', '0:5'), 10)).toBe('state-changed');
    expect(recordHubEvent(log, connection('deviceConnected', '10', '0:6'), 10)).toBe('kept');
    expect(log.connectionState).toBe('disconnected');
  });

  it('keeps an event once per position, at most `limit`, and answers newest first with filters', () => {
    const log = createHubEventLog();
    for (let i = 1; i <= 5; i += 1) recordHubEvent(log, connection('deviceConnected', `0${i}`, `0:${i}`), 3);
    expect(recordHubEvent(log, connection('deviceConnected', '09', '0:5'), 3)).toBe('duplicate');
    expect(queryHubEvents(log, { limit: 10 }).map((e) => e.position)).toEqual(['0:5', '0:4', '0:3']);
    expect(queryHubEvents(log, { limit: 2 }).map((e) => e.position)).toEqual(['0:5', '0:4']);
    expect(queryHubEvents(log, { limit: 10, type: 'twinChangeEvents' })).toEqual([]);
    expect(queryHubEvents(log, { limit: 10, since: '2026-01-01T00:00:00.001Z' })).toEqual([]);
  });
});
