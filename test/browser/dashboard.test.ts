import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Debian's Chromium (`apt-get install chromium`); no browser is downloaded. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const API_KEY = 'BrowserTestKey0123456789';

/** Rows of a data file as objects keyed by the header (the files are plain comma-separated numbers and dates). */
function csvRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join('data', file), 'utf8').trim().split('\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i] ?? String(i), v])) as Record<string, string>);
}

/** The latest-values table as field → text. */
async function latestValues(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#latest-values tbody tr', (rows) =>
    Object.fromEntries(rows.map((row) => [row.getAttribute('data-field') ?? '', row.querySelector('td')?.textContent ?? ''])),
  );
}

async function chartPoints(page: Page, field: string): Promise<number> {
  return Number(await page.getAttribute(`figure.chart[data-field="${field}"]`, 'data-points'));
}

describe('dashboard in headless Chromium on the demo (emulator with simulated devices)', () => {
  let server: ChildProcess;
  let url: string;
  let context: BrowserContext;
  let page: Page;
  const consoleViolations: string[] = [];
  const stateDir = mkdtempSync(join(tmpdir(), 'gateway-browser-'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'chromium-profile-'));

  /** Starts the real `npm start` entry point on `port`; EVENTHUB_CONNECTION_STRING empty = demo mode, even with a .env. */
  async function startServer(port: number): Promise<string> {
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, EVENTHUB_CONNECTION_STRING: '', API_KEY, PORT: String(port), HOST: '127.0.0.1', STATE_DIR: stateDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /URL:\s+(http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      server.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${out}`)));
    });
  }

  async function stopServer(): Promise<void> {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }

  beforeAll(async () => {
    url = await startServer(0);
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Every CSP violation the page reports, as a DOM event and as a console message.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const seen = ((window as unknown as { cspViolations?: string[] }).cspViolations ??= []);
        seen.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    if (server) await stopServer();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('asks for the key, then shows live values equal to rows of the data files and growing charts', async () => {
    const response = await page.goto(url);
    expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
    await page.waitForSelector('#key-form', { state: 'visible' });
    await page.fill('#api-key', API_KEY);
    await page.click('#key-form button[type="submit"]');
    await page.waitForSelector('#connection-state[data-state="connected"]', { timeout: 20_000 });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);

    // The default device is the first household meter; its table rows come from the UCI file.
    await expect.poll(() => page.textContent('#device-title')).toBe('household-meter-01');
    await page.waitForSelector('#latest-values tbody tr[data-field="voltage"]', { timeout: 20_000 });
    const household = csvRows('uci_household_power_2006-12-16_2006-12-27.csv');
    const values = await latestValues(page);
    const [date, time] = (values.measuredAt ?? '').split('T');
    const [y, m, d] = (date ?? '').split('-');
    const row = household.find((r) => r.Date === `${d}/${m}/${y}` && r.Time === time);
    expect(row, `a UCI row measured at ${values.measuredAt}`).toBeDefined();
    expect(Number(values.voltage)).toBe(Number(row!.Voltage));
    expect(Number(values.current)).toBe(Number(row!.Global_intensity));
    expect(Number(values.activePower)).toBe(Number(row!.Global_active_power));
    expect(Number(values.reactivePower)).toBe(Number(row!.Global_reactive_power));

    // One chart per numeric field; the voltage chart gains points as messages arrive (one a second per device).
    await page.waitForSelector('figure.chart[data-field="voltage"]');
    const before = await chartPoints(page, 'voltage');
    await expect.poll(() => chartPoints(page, 'voltage'), { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(before + 3);
    expect(await page.$$eval('figure.chart', (charts) => charts.map((c) => c.getAttribute('data-field')))).toEqual(['voltage', 'current', 'activePower', 'reactivePower']);

    // The feeder: one chart for `voltages`, one line per phase; values equal one Linc timestamp's L1, L2, L3.
    await page.click('#devices button.select >> text=feeder-01');
    await expect.poll(() => page.textContent('#device-title')).toBe('feeder-01');
    await page.waitForSelector('#latest-values tbody tr[data-field="voltages[2]"]', { timeout: 20_000 });
    const feeder = await latestValues(page);
    const phases = ['L1', 'L2', 'L3'].map((l) => new Map(csvRows(`linc_dataset01_${l}_2020-10-17T17-19Z.csv`).map((r) => [r.time, Number(r.voltage)])));
    expect([0, 1, 2].map((i) => Number(feeder[`voltages[${i}]`]))).toEqual(phases.map((p) => p.get(feeder.measuredAt)));
    await expect.poll(() => chartPoints(page, 'voltages'), { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    expect(await page.$$eval('figure.chart[data-field="voltages"] .u-legend .u-series', (s) => s.length)).toBe(4); // x + 3 phases

    await page.click('#devices button.select >> text=household-meter-01');
    await expect.poll(() => chartPoints(page, 'voltage'), { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(3);

    // The gateway restarts: the page shows the drop (4503), reconnects by itself on the same URL and resumes
    // (the demo emulator starts afresh, so the resume position is unknown and the gateway answers reset + history).
    await stopServer();
    await page.waitForFunction(() => {
      const state = document.getElementById('connection-state');
      return state?.dataset.state === 'reconnecting' && state.textContent?.includes('4503');
    }, undefined, { timeout: 15_000 });
    await startServer(Number(new URL(url).port));
    await page.waitForSelector('#connection-state[data-state="connected"]', { timeout: 30_000 });
    const reconnectedPoints = await chartPoints(page, 'voltage');
    await expect.poll(() => chartPoints(page, 'voltage'), { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(reconnectedPoints + 2);
    // Register and unregister from the page.
    await page.fill('#register-id', 'added-from-page');
    await page.click('#register-form button[type="submit"]');
    await page.waitForSelector('#devices tr[data-device-id="added-from-page"]', { timeout: 10_000 });
    await page.click('#devices tr[data-device-id="added-from-page"] button >> text=Unregister');
    await page.waitForSelector('#devices tr[data-device-id="added-from-page"]', { state: 'detached', timeout: 10_000 });
    expect(await page.$$eval('#devices tbody tr', (rows) => rows.map((r) => r.getAttribute('data-device-id')))).toEqual([
      'household-meter-01', 'household-meter-02', 'household-meter-03', 'feeder-01',
    ]);

    // The whole run (page, scripts, styles, charts, WebSocket, reconnects) stayed within the Content Security Policy.
    expect(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])).toEqual([]);
    expect(consoleViolations).toEqual([]);

    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/dashboard.png', fullPage: true });
  });
});
