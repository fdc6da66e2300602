import { describe, expect, it } from 'vitest';
import { renderBanner } from '../../src/banner.js';
import { latestTelemetryJson, latestTelemetryReply } from '../../src/routes/api/latest-telemetry-reply.js';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';

const base: TelemetryMessage = {
  deviceId: 'd', moduleId: null, enqueuedTime: '2021-02-25T20:55:51.122Z', partitionId: '0', sequenceNumber: 1, offset: '0',
  contentType: null, contentEncoding: null, messageId: null, properties: {}, creationTime: null, body: null, bodyEncoding: 'json',
};

describe('latestTelemetryReply', () => {
  it('spreads a JSON object body after the envelope, envelope keys winning', () => {
    const reply = latestTelemetryReply('d', { ...base, body: { deviceId: 'spoof', isConnected: 'x', t: 1 } }, true);
    expect(reply).toEqual({ deviceId: 'd', timestamp: '2021-02-25T20:55:51.122Z', isConnected: true, t: 1 });
    expect(Object.keys(reply)).toEqual(['deviceId', 'timestamp', 'isConnected', 't']);
  });

  it('keeps a __proto__ body key as plain data', () => {
    const body = JSON.parse('{"__proto__":{"polluted":1},"a":2}') as Record<string, unknown>;
    const reply = latestTelemetryReply('d', { ...base, body }, false);
    expect(JSON.stringify(reply)).toBe('{"deviceId":"d","timestamp":"2021-02-25T20:55:51.122Z","isConnected":false,"__proto__":{"polluted":1},"a":2}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('wraps other bodies and answers null before the first message', () => {
    expect(latestTelemetryReply('d', { ...base, body: [1, 2] }, true)).toEqual({
      deviceId: 'd', timestamp: base.enqueuedTime, isConnected: true, body: [1, 2], bodyEncoding: 'json',
    });
    expect(latestTelemetryReply('d', { ...base, body: 'AJr//oAB', bodyEncoding: 'base64' }, true)).toMatchObject({ body: 'AJr//oAB', bodyEncoding: 'base64' });
    expect(latestTelemetryReply('d', undefined, false)).toEqual({ deviceId: 'd', timestamp: null, isConnected: false });
  });
});

describe('renderBanner', () => {
  it('prints the key and a shell-quoted curl line that URL-encodes the device', () => {
    const text = renderBanner({ source: { kind: 'emulator', devices: ['m-1'] }, url: 'http://127.0.0.1:5000', apiKey: 'K'.repeat(24), apiKeyOrigin: 'generated', exampleDevice: "Dev#1+a%'" });
    expect(text).toContain(`API key: ${'K'.repeat(24)}`);
    expect(text).toContain(`curl -s -H 'X-API-Key: ${'K'.repeat(24)}' 'http://127.0.0.1:5000/api/telemetry?deviceId=Dev%231%2Ba%25'\\'''`);
  });

  it('in demo mode names the device API and prints a curl line that sends a message as the example device', () => {
    const text = renderBanner({
      source: { kind: 'emulator', devices: ['household-meter-01'], deviceApiUrl: 'http://127.0.0.1:39315' }, url: 'http://127.0.0.1:5000',
      apiKey: 'K'.repeat(24), apiKeyOrigin: 'from /srv/gw/.data/api-key', exampleDevice: 'household-meter-01',
    });
    expect(text).toContain(`API key: ${'K'.repeat(24)}  (from /srv/gw/.data/api-key)`);
    expect(text).toContain("  Devices: http://127.0.0.1:39315  (the emulator's device HTTP API: POST /devices/<deviceId>/messages/events)\n");
    expect(text).toContain(
      `  Send a message as household-meter-01:\n    curl -s -X POST -H 'iothub-contenttype: application/json' --data-binary '{"voltage":231.5,"current":4.2,"activePower":0.97,"reactivePower":0.1}' 'http://127.0.0.1:39315/devices/household-meter-01/messages/events'\n`,
    );
  });

  // Regression: with no device registered the banner printed deviceId=<device-id>, which the API refuses (400).
  it('with no device yet, prints a register line and a telemetry line that work as printed', () => {
    const text = renderBanner({ source: { kind: 'hub', namespace: 'ns', eventHubName: 'h', developmentEmulator: true }, url: 'http://h:1', apiKey: null, apiKeyOrigin: '', exampleDevice: null });
    expect(text).toContain('Source:  Event Hub-compatible endpoint (development emulator, no TLS) ns/h');
    expect(text).toContain(`curl -s -X POST -H 'Content-Type: application/json' -d '{"deviceId":"my-device"}' 'http://h:1/api/register-device'`);
    expect(text).toContain("curl -s 'http://h:1/api/telemetry?deviceId=my-device'");
    expect(text).not.toContain('<');
  });
});

describe('latestTelemetryJson', () => {
  it('is the reply as JSON, per isConnected value, and the same text for every request of one message', () => {
    const message: TelemetryMessage = { ...base, body: { t: 21.5, deviceId: 'spoof' } };
    const connected = latestTelemetryJson('d', message, true);
    expect(connected).toBe('{"deviceId":"d","timestamp":"2021-02-25T20:55:51.122Z","isConnected":true,"t":21.5}');
    expect(latestTelemetryJson('d', message, false)).toBe('{"deviceId":"d","timestamp":"2021-02-25T20:55:51.122Z","isConnected":false,"t":21.5}');
    expect(latestTelemetryJson('d', message, true)).toBe(connected);
    expect(latestTelemetryJson('d', undefined, true)).toBe('{"deviceId":"d","timestamp":null,"isConnected":true}');
  });
});
