import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { cspViolations, launchBrowser, openPage, seriousA11yViolations, signIn } from './support/browser.js';
import { registeredIds, startGateway, type GatewayProcess } from './support/gateway-process.js';

const SHOTS = 'test-output/screenshots';
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

describe('dashboard layout, themes, accessibility, registration and liveness on the demo', () => {
  let gateway: GatewayProcess;
  let browser: Browser;
  let deviceApi: string;

  beforeAll(async () => {
    gateway = await startGateway();
    deviceApi = /Devices:\s+(http:\/\/[\d.]+:\d+)/.exec(gateway.output())?.[1] ?? '';
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`${name} ${viewport.width}×${viewport.height} ${colorScheme}: no horizontal scroll, charts as wide as their cell, no serious axe violation`, async () => {
        const watched = await openPage(browser, { viewport, colorScheme });
        const { page } = watched;
        await signIn(page, gateway.url);
        await page.waitForSelector('figure.chart[data-field="reactivePower"]', { timeout: 20_000 });
        await expect.poll(() => page.getAttribute('figure.chart[data-field="voltage"]', 'data-points')).not.toBe('0');
        expect(await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth])).toEqual([viewport.width, viewport.width]);
        // Every plot fills its cell (to the pixel), the device table fits the viewport.
        const widths = await page.$$eval('figure.chart .chart-plot', (boxes) => boxes.map((b) => [Math.floor(b.clientWidth), b.querySelector('canvas')?.clientWidth ?? 0]));
        for (const [box, canvas] of widths) expect(canvas).toBe(box);
        const table = await page.$eval('#devices', (t) => t.getBoundingClientRect().right);
        expect(table).toBeLessThanOrEqual(viewport.width);
        if (name === 'desktop') expect(new Set(await page.$$eval('figure.chart', (f) => f.map((e) => e.getBoundingClientRect().top))).size).toBe(2); // two a row
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
        expect(await seriousA11yViolations(page)).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/dashboard-${name}-${colorScheme}.png`, fullPage: true });
        expect(await cspViolations(watched)).toEqual([]);
        await watched.context.close();
      });
    }
  }

  it('a refused registration keeps its error and the typed ID until the user edits it; focus is visible on controls', async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    await signIn(page, gateway.url);
    await page.fill('#register-id', 'bad id');
    await page.click('#register-form button[type="submit"]');
    await page.waitForSelector('#register-error:not(:empty)');
    const message = await page.textContent('#register-error');
    expect(message).toMatch(/device ?id/i);
    // Several list refreshes later it is still there, and so is the text.
    const renders = Number(await page.getAttribute('#devices', 'data-renders'));
    await page.waitForFunction((n) => Number(document.getElementById('devices')?.dataset.renders) >= n + 2, renders, { timeout: 15_000 });
    expect([await page.textContent('#register-error'), await page.inputValue('#register-id'), await page.getAttribute('#register-id', 'aria-invalid')]).toEqual([message, 'bad id', 'true']);
    await page.press('#register-id', 'End');
    await page.type('#register-id', 'x');
    expect([await page.textContent('#register-error'), await page.inputValue('#register-id')]).toEqual(['', 'bad idx']);
    // Keyboard: Tab reaches the controls and the focused one has an outline.
    await page.focus('#register-id');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => [document.activeElement?.textContent, getComputedStyle(document.activeElement!).outlineStyle])).toEqual(['Register', 'solid']);
    await watched.context.close();
  });

  it('unregister asks first (Escape keeps the device), registering from "Seen on the hub" selects the device', async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    await signIn(page, gateway.url);
    const sent = await fetch(`${deviceApi}/devices/seen-01/messages/events`, { method: 'POST', body: '{"t":21.5}', headers: { 'iothub-contenttype': 'application/json' } });
    expect(sent.status).toBe(204);
    await page.waitForSelector('#discovered li[data-device-id="seen-01"]', { timeout: 15_000 });
    await page.click('#discovered li[data-device-id="seen-01"] button');
    await expect.poll(() => page.textContent('#device-title')).toBe('seen-01');
    await page.waitForSelector('#devices tr.selected[data-device-id="seen-01"]');

    await page.click('#devices tr[data-device-id="seen-01"] button.unregister');
    await page.waitForSelector('#confirm-dialog[open]');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#confirm-dialog', { state: 'hidden' });
    expect(await registeredIds(gateway.url)).toContain('seen-01');
    await page.click('#devices tr[data-device-id="seen-01"] button.unregister');
    await page.click('#confirm-ok');
    await page.waitForSelector('#devices tr[data-device-id="seen-01"]', { state: 'detached', timeout: 10_000 });
    expect(await registeredIds(gateway.url)).not.toContain('seen-01');
    expect(await page.textContent('#device-title')).toBe('household-meter-01');
    await watched.context.close();
  });

  it('last seen is relative and moves on; 3× the usual interval without a message marks the device stale', async () => {
    const watched = await openPage(browser, { locale: 'en-GB' });
    const { page } = watched;
    await page.clock.install();
    await signIn(page, gateway.url);
    const cell = '#devices tr[data-device-id="household-meter-01"] td.last-seen';
    await page.waitForSelector(`${cell} time`);
    const first = await page.getAttribute(`${cell} time`, 'datetime');
    await expect.poll(() => page.getAttribute(`${cell} time`, 'datetime'), { timeout: 10_000 }).not.toBe(first);
    expect(await page.textContent(`${cell} time`)).toMatch(/^(now|\d+ sec(s)? ago)$/);
    expect(await page.getAttribute(cell, 'data-stale')).toBe('false');
    // The page's clock jumps 20 s ahead of the demo's 1 s messages: stale (3 × 1 s, at least 5 s), said in words.
    await page.clock.fastForward(20_000);
    await expect.poll(() => page.getAttribute(cell, 'data-stale')).toBe('true');
    expect(await page.isVisible(`${cell} .stale-mark`)).toBe(true);
    expect(await page.textContent(`${cell} time`)).toMatch(/^\d+ secs? ago$/);
    await watched.context.close();
  });
});
