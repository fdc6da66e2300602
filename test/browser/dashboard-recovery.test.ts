import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startEmulator, startSimulator, type Emulator, type Simulation } from '../../src/emulator/index.js';
import { chartPoints, cspViolations, launchBrowser, openPage, signIn, type WatchedPage } from './support/browser.js';
import { csvFile } from './support/data-files.js';
import { closedPort, gatewayApi, historyOf, startGateway, type GatewayProcess } from './support/gateway-process.js';

const DEVICE = 'household-meter-01';

/** The rows the page shows, as its CSV export downloads them. */
async function exportedRows({ page }: WatchedPage): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  return csvFile((await download.path())).rows;
}

describe('dashboard across a gateway restart (STORE=embedded, the hub keeps sending)', () => {
  let emulator: Emulator;
  let simulation: Simulation;
  let gateway: GatewayProcess;
  let browser: Browser;
  let watched: WatchedPage;

  beforeAll(async () => {
    emulator = await startEmulator();
    simulation = startSimulator(emulator);
    gateway = await startGateway({ EVENTHUB_CONNECTION_STRING: emulator.connectionString, STORE: 'embedded', DEVICE_ID: DEVICE });
    browser = await launchBrowser();
    watched = await openPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
    simulation?.stop();
    await emulator?.close();
  });

  it('keeps every point drawn before, tells the restart in words, greys what it shows, and fills the gap on resume', async () => {
    const { page } = watched;
    await signIn(page, gateway.url);
    await expect.poll(() => chartPoints(page, 'voltage'), { timeout: 20_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    const before = await exportedRows(watched);

    await gateway.stop();
    await page.waitForSelector('#gateway-state[data-state="reconnecting"]', { timeout: 10_000 });
    expect(await page.textContent('#gateway-state')).toBe('Gateway: offline');
    expect(await page.textContent('#hub-reason')).toMatch(/^The gateway is restarting or shutting down; retrying (in \d+ s|now)\.$/);
    expect(await page.isVisible('#retry-now')).toBe(true);
    expect(await page.textContent('#hub-state')).toBe('Hub: connected (last known)');
    expect(await page.$eval('#charts', (e) => getComputedStyle(e).filter)).toBe('grayscale(1)');
    expect(await page.textContent('#devices tr[data-device-id="household-meter-01"] .state-word')).toBe('unknown while the gateway is offline');
    const down = Date.now();

    await gateway.restart();
    const restarted = Date.now();
    await page.click('#retry-now').catch(() => undefined); // gone already when the page reconnected by itself
    await page.waitForSelector('#gateway-state[data-state="connected"]', { timeout: 15_000 });
    expect(await page.isVisible('#retry-now')).toBe(false);
    // Messages sent while the gateway was down come from the resume position, then live ones.
    await expect.poll(async () => (await exportedRows(watched)).filter(([t]) => Date.parse(t!) > down).length, { timeout: 20_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    const after = await exportedRows(watched);
    const afterByPosition = new Map(after.map((row) => [row[1], row]));
    for (const row of before) expect(afterByPosition.get(row[1])).toEqual(row);
    // At least one message was sent while no gateway ran, and it is drawn.
    expect(after.filter(([t]) => Date.parse(t!) > down && Date.parse(t!) < restarted).length).toBeGreaterThanOrEqual(1);
    const history = await historyOf(gateway.url, DEVICE);
    const held = history
      .filter((i) => i.enqueuedTime >= after[0]![0]! && i.enqueuedTime <= after.at(-1)![0]!)
      .map((i) => `${i.partitionId}:${i.sequenceNumber}`)
      .sort();
    expect(after.map((row) => row[1]).sort()).toEqual(held); // no gap, no duplicate
    expect(await page.textContent('#device-notice')).toBe(''); // no "whole history" reset
    expect(await cspViolations(watched)).toEqual([]);
  });
});

describe('dashboard with the hub on a closed loopback port', () => {
  let gateway: GatewayProcess;
  let browser: Browser;

  beforeAll(async () => {
    const port = await closedPort();
    const unreachable = `Endpoint=sb://127.0.0.1:${port}/;SharedAccessKeyName=iothubowner;SharedAccessKey=${Buffer.from('x').toString('base64')};EntityPath=iothub-ehub-local;UseDevelopmentEmulator=true`;
    gateway = await startGateway({ EVENTHUB_CONNECTION_STRING: unreachable, DEVICE_ID: 'probe-dev' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('shows the hub reason within 5 s of loading the page, next to a connected gateway', async () => {
    expect((await gatewayApi(gateway.url, '/api/register-device', { method: 'POST', body: '{"deviceId":"probe-dev"}' })).status).toBeLessThan(300);
    await expect.poll(async () => (await gatewayApi(gateway.url, '/readyz')).body, { timeout: 20_000, interval: 250 })
      .toEqual({ status: 'not_ready', hubState: 'error', reason: 'hub_unreachable' });
    const watched = await openPage(browser);
    const { page } = watched;
    const loaded = Date.now();
    await signIn(page, gateway.url);
    await page.waitForSelector('#hub-state[data-state="error"]', { timeout: 5000 - (Date.now() - loaded) });
    expect(Date.now() - loaded).toBeLessThan(5000);
    expect(await page.textContent('#hub-state')).toBe('Hub: not connected');
    expect(await page.getAttribute('#hub-state', 'data-reason')).toContain('hub_unreachable');
    expect(await page.textContent('#hub-reason')).toBe('The gateway cannot reach the hub: check the namespace, the network or the proxy.');
    expect(await page.textContent('#gateway-state')).toBe('Gateway: connected');
    expect(await page.textContent('#devices tr[data-device-id="probe-dev"] .state-word')).toMatch(/^(registering: waiting for the hub|waiting for the hub connection)$/);
    expect(await cspViolations(watched)).toEqual([]);
    await watched.context.close();
  });
});
