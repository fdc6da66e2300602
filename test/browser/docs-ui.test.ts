import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { cspViolations, launchBrowser, openPage } from './support/browser.js';
import { API_KEY, startGateway, type GatewayProcess } from './support/gateway-process.js';

describe('the docs UI at /docs on the demo', () => {
  let gateway: GatewayProcess;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startGateway();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('renders every operation under the gateway CSP, from the gateway only, and calls the API with the key', async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    const origins = new Set<string>();
    page.on('request', (request) => void origins.add(new URL(request.url()).origin));
    await page.goto(`${gateway.url}/docs`);
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.getAttribute('data-path')));
    expect(paths).toEqual(expect.arrayContaining(['/api/devices', '/api/devices/{deviceId}/telemetry', '/api/ws', '/docs/asyncapi.json']));

    // Authorize with the key, then "Try it out" on GET /api/devices: the UI's own request gets 200.
    await page.click('button.authorize');
    await page.fill('.auth-container input[type="text"], .auth-container input[type="password"]', API_KEY);
    await page.click('.auth-container button.authorize');
    await page.click('.auth-btn-wrapper button.btn-done');
    await page.click('#operations-devices-get_api_devices .opblock-summary');
    await page.click('#operations-devices-get_api_devices button.try-out__btn');
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/devices');
    await page.click('#operations-devices-get_api_devices button.execute');
    expect((await answer).status()).toBe(200);

    expect(await cspViolations(watched)).toEqual([]);
    expect([...origins]).toEqual([gateway.url]);
    await watched.context.close();
  });
});
