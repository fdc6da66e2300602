import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { API_KEY } from './gateway-process.js';

/** Debian's Chromium (`apt-get install chromium`); no browser is downloaded. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ARGS });

/** A page whose every CSP violation (DOM event or console message) is collected for {@link cspViolations}. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  consoleViolations: string[];
}

export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...options });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const seen = ((window as unknown as { cspViolations?: string[] }).cspViolations ??= []);
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const consoleViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
  });
  return { context, page, consoleViolations };
}

/** Every CSP violation the page reported so far, both ways. */
export async function cspViolations({ page, consoleViolations }: WatchedPage): Promise<string[]> {
  const events = await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
  return [...events, ...consoleViolations];
}

/** Opens the dashboard and gives it the key; resolves when the gateway connection is up. */
export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('#key-form', { state: 'visible' });
  await page.fill('#api-key', API_KEY);
  await page.click('#key-form button[type="submit"]');
  await page.waitForSelector('#gateway-state[data-state="connected"]', { timeout: 20_000 });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations of impact serious or critical, as `id: target…` lines (the CSP forbids script tags). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The latest-values table as field → raw value. */
export function latestValues(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#latest-values tbody tr', (rows) =>
    Object.fromEntries(rows.map((row) => [row.getAttribute('data-field') ?? '', row.getAttribute('data-value') ?? ''])),
  );
}

/** Points drawn on a chart (its `data-points`). */
export async function chartPoints(page: Page, field: string): Promise<number> {
  return Number(await page.getAttribute(`figure.chart[data-field="${field}"]`, 'data-points'));
}
