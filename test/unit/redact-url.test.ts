import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/plugins/redact-url.js';

const secret = 'k3yValue0123456789abcdef';

describe('redactUrl', () => {
  it('returns a URL without api_key, escapes or the key unchanged', () => {
    const url = '/api/telemetry?deviceId=sensor-1&fields=temperature';
    expect(redactUrl(url, secret)).toBe(url);
    expect(redactUrl('/api/devices', null)).toBe('/api/devices');
  });

  it('redacts api_key in any case and spelling, the key under any name and in a path segment', () => {
    expect(redactUrl(`/api/telemetry?deviceId=a&API_KEY=${secret}`, secret)).toBe('/api/telemetry?deviceId=a&API_KEY=***');
    expect(redactUrl('/api/telemetry?api_key=anything', null)).toBe('/api/telemetry?api_key=***');
    expect(redactUrl('/api/telemetry?%61pi%5Fkey=x', null)).toBe('/api/telemetry?%61pi%5Fkey=***');
    expect(redactUrl(`/api/devices?token=${secret}`, secret)).toBe('/api/devices?token=***');
    expect(redactUrl(`/api/devices/${secret}/telemetry`, secret)).toBe('/api/devices/***/telemetry');
    expect(redactUrl(`/api/devices?q=Bearer+${secret}`, secret)).toBe('/api/devices?q=***');
    expect(redactUrl(`/api/devices?x=${encodeURIComponent(encodeURIComponent(secret))}%2`, secret)).toBe('/api/devices?x=***');
  });
});
