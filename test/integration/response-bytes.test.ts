import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';
import { removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';

/** A stored message with its fields in the order the pipeline writes them (`normalize`). */
function stored(sequenceNumber: number, fields: Partial<TelemetryMessage> & Record<string, unknown>): TelemetryMessage {
  const { body, bodyEncoding = 'json', ...rest } = fields;
  return {
    deviceId: 'meter-1', moduleId: null, enqueuedTime: `2024-05-01T12:00:0${sequenceNumber}.000Z`, partitionId: '0', sequenceNumber,
    offset: String(sequenceNumber * 100), contentType: 'application/json', contentEncoding: 'utf-8', messageId: null, properties: {},
    creationTime: null, body, bodyEncoding, ...rest,
  };
}

/** Stored messages the response schemas must pass through unchanged: every body kind, property type and odd key. */
const messages: TelemetryMessage[] = [
  stored(1, { properties: { level: 3, ok: true, none: null, name: 'a' },
    body: { voltage: 230.5, nested: { deep: [1, 'two', null, { x: false }] }, ['__proto__']: { polluted: 1 }, big: 1e21, text: 'ü\u2028"' } }),
  stored(2, { moduleId: 'mod-1', messageId: '42', creationTime: '2024-05-01T11:59:59.000Z', body: 'plain text', bodyEncoding: 'text' }),
  stored(3, { contentType: null, contentEncoding: null, properties: { n: -0.5 }, body: 'AAEC', bodyEncoding: 'base64', bodyFormat: ['gzip'] }),
  stored(4, { body: [1, 2, 3] }),
];

describe('answers under the response schemas', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(testConfig());
    await gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"deviceId":"meter-1"}' });
    await gw.app.store.append(messages, []);
  });
  afterAll(async () => {
    await gw.close();
    removeDir(gw.config.stateDir);
  });

  it('sends the history exactly as JSON.stringify of the stored messages, newest first', async () => {
    const text = await (await gw.api('/api/devices/meter-1/telemetry')).text();
    expect(text).toBe(JSON.stringify({ deviceId: 'meter-1', items: [...messages].reverse() }));
  });

  it('sends the latest message as the pre-serialized reply, byte for byte', async () => {
    const response = await gw.api('/api/telemetry?deviceId=meter-1');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    expect(text).toBe(JSON.stringify({ deviceId: 'meter-1', timestamp: '2024-05-01T12:00:04.000Z', isConnected: false, body: [1, 2, 3], bodyEncoding: 'json' }));
  });

  it('keeps a JSON object body spread into the latest reply, odd keys included', async () => {
    await gw.app.store.append([{ ...messages[0]!, sequenceNumber: 5, enqueuedTime: '2024-05-01T12:00:05.000Z' }], []);
    const text = await (await gw.api('/api/telemetry?deviceId=meter-1')).text();
    expect(text).toBe('{"deviceId":"meter-1","timestamp":"2024-05-01T12:00:05.000Z","isConnected":false,"voltage":230.5,'
      + '"nested":{"deep":[1,"two",null,{"x":false}]},"__proto__":{"polluted":1},"big":1e+21,"text":"ü\u2028\\""}');
  });
});
