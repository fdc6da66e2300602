import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from '../integration/support/gateway.js';
import { exactRequest, type ExactAnswer } from './support/exact-request.js';

/** The dashboard's policy: its own scripts, styles, images and WebSocket, no framing, no plugins, no inline code. */
const EXPECTED_CSP: Record<string, string> = {
  'default-src': "'self'",
  'base-uri': "'none'",
  'connect-src': "'self'",
  'font-src': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
  'img-src': "'self' data:",
  'object-src': "'none'",
  'script-src': "'self'",
  'script-src-attr': "'none'",
  'style-src': "'self'",
};

/** A CSP header as directive → sources. */
function directives(header: string | string[] | undefined): Record<string, string> {
  const entries = String(header ?? '').split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name = '', ...sources] = d.split(/\s+/);
    return [name, sources.join(' ')] as const;
  });
  return Object.fromEntries(entries);
}

/** The security headers of an answer, for one exact comparison. */
const securityHeaders = (answer: ExactAnswer) => ({
  csp: directives(answer.headers['content-security-policy']),
  nosniff: answer.headers['x-content-type-options'],
  referrer: answer.headers['referrer-policy'],
  frame: answer.headers['x-frame-options'],
  hsts: answer.headers['strict-transport-security'],
});
const EXPECTED = { csp: EXPECTED_CSP, nosniff: 'nosniff', referrer: 'no-referrer', frame: 'DENY', hsts: undefined };

describe('security headers on every answer', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(testConfig({ authFailLimit: 1 }));
  });
  afterAll(async () => {
    await gw.close();
    removeDir(gw.config.stateDir);
  });

  it('sends the CSP (no upgrade-insecure-requests), nosniff, no-referrer and no framing on pages, API answers and errors', async () => {
    const key = { 'x-api-key': TEST_API_KEY };
    const answers: Array<[string, ExactAnswer, number]> = [
      ['dashboard', await exactRequest(gw.url, 'GET', '/'), 200],
      ['script', await exactRequest(gw.url, 'GET', '/app.js'), 200],
      ['API', await exactRequest(gw.url, 'GET', '/api/devices', key), 200],
      ['health', await exactRequest(gw.url, 'GET', '/healthz'), 200],
      ['no key', await exactRequest(gw.url, 'GET', '/api/devices'), 401],
      ['not found', await exactRequest(gw.url, 'GET', '/nothing', key), 404],
      ['bad request', await exactRequest(gw.url, 'GET', '/api/devices/x/telemetry?limit=0', key), 400],
      ['wrong host', await exactRequest(gw.url, 'GET', '/', { host: 'evil.example' }), 421],
      ['wrong key', await exactRequest(gw.url, 'GET', '/api/devices', { 'x-api-key': 'wrong' }), 401],
      ['throttled', await exactRequest(gw.url, 'GET', '/api/devices', key), 429],
    ];
    for (const [label, answer, status] of answers) {
      expect({ label, status: answer.status, ...securityHeaders(answer) }).toEqual({ label, status, ...EXPECTED });
    }
  });
});
