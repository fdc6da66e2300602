import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chartPoints, cspViolations, latestValues, launchBrowser, openPage, signIn, type WatchedPage } from './support/browser.js';
import { csvFile, dataRows } from './support/data-files.js';
import { gatewayApi, historyOf, startGateway, type GatewayProcess } from './support/gateway-process.js';

/** The demo's simulated devices, as their registrations order them. */
const SIMULATED = ['household-meter-01', 'household-meter-02', 'household-meter-03', 'feeder-01'];

describe('dashboard on the demo: live values, charts, time, fields, CSV, raw view', () => {
  let gateway: GatewayProcess;
  let browser: Browser;
  let watched: WatchedPage;
  let deviceApi: string;
  const liveSockets: string[] = [];

  beforeAll(async () => {
    gateway = await startGateway();
    deviceApi = /Devices:\s+(http:\/\/[\d.]+:\d+)/.exec(gateway.output())?.[1] ?? '';
    browser = await launchBrowser();
    watched = await openPage(browser, { locale: 'en-GB', timezoneId: 'Europe/Berlin' });
    watched.page.on('websocket', (socket) => liveSockets.push(socket.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  it('shows the default device with latest values equal to a row of its data file, and charts that grow', async () => {
    const { page } = watched;
    const response = await page.goto(gateway.url);
    expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
    await signIn(page, gateway.url);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
    await expect.poll(() => page.textContent('#device-title')).toBe('household-meter-01');
    await page.waitForSelector('#latest-values tbody tr[data-field="voltage"]', { timeout: 20_000 });
    const values = await latestValues(page);
    const [date, time] = (values.measuredAt ?? '').split('T');
    const [y, m, d] = (date ?? '').split('-');
    const row = dataRows('uci_household_power_2006-12-16_2006-12-27.csv').find((r) => r.Date === `${d}/${m}/${y}` && r.Time === time);
    expect(row, `a UCI row measured at ${values.measuredAt}`).toBeDefined();
    expect([values.voltage, values.current, values.activePower, values.reactivePower].map(Number)).toEqual(
      [row!.Voltage, row!.Global_intensity, row!.Global_active_power, row!.Global_reactive_power].map(Number),
    );
    await page.waitForSelector('figure.chart[data-field="voltage"]');
    const before = await chartPoints(page, 'voltage');
    await expect.poll(() => chartPoints(page, 'voltage'), { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(before + 2);
    expect(await page.$$eval('figure.chart', (charts) => charts.map((c) => c.getAttribute('data-field')))).toEqual(['voltage', 'current', 'activePower', 'reactivePower']);
    expect(await page.$$eval('#devices tbody tr', (rows) => rows.map((r) => r.getAttribute('data-device-id')))).toEqual(SIMULATED);
  });

  it('legend shows the latest values, not "--", and time ticks in the browser locale do not overlap', async () => {
    const { page } = watched;
    const legend = async () => page.$$eval('figure.chart[data-field="voltage"] .u-legend .u-series', (rows) => rows.map((r) => r.querySelector('.u-value')?.textContent));
    const latest = Number((await latestValues(page)).voltage);
    await expect.poll(async () => (await legend())[1]).toBe(`${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 }).format(latest)} V`);
    // en-GB: 24-hour times; the axis title names the zone.
    const ticks = JSON.parse((await page.getAttribute('figure.chart[data-field="voltage"]', 'data-x-ticks')) ?? '[]') as { label: string; x: number }[];
    expect(ticks.length).toBeGreaterThan(0);
    for (const tick of ticks) expect(tick.label).toMatch(/^\d{2}:\d{2}(:\d{2})?$/);
    const widths = await page.evaluate((labels) => {
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `12px ${getComputedStyle(document.documentElement).getPropertyValue('--font-sans')}`;
      return labels.map((l) => context.measureText(l).width);
    }, ticks.map((t) => t.label));
    for (let i = 1; i < ticks.length; i += 1) expect(ticks[i]!.x - ticks[i - 1]!.x).toBeGreaterThan((widths[i]! + widths[i - 1]!) / 2 + 8);
  });

  it('one time-zone choice for text and charts: local (Europe/Berlin) with UTC on hover, or UTC after the toggle', async () => {
    const { page } = watched;
    const format = (zone: string, iso: string) =>
      new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: zone }).format(Date.parse(iso));
    /** The meta line's text and title, and the stored message it names. */
    const meta = async () => {
      const [text, title] = await page.$eval('#device-meta', (e) => [e.textContent ?? '', e.getAttribute('title') ?? '']);
      const [partitionId, sequenceNumber] = (/position (\d+):(\d+)/.exec(text) ?? []).slice(1);
      const history = await historyOf(gateway.url, 'household-meter-01');
      const item = history.find((i) => i.partitionId === partitionId && i.sequenceNumber === Number(sequenceNumber));
      return { text, title, iso: item?.enqueuedTime ?? '' };
    };
    expect(await page.textContent('#time-zone')).toBe('Times: local (Europe/Berlin)');
    const local = await meta();
    expect(local.text).toContain(`Latest: ${format('Europe/Berlin', local.iso)} Europe/Berlin · position`);
    expect(local.title).toBe(`${format('UTC', local.iso)} UTC`);
    await page.click('#time-zone');
    expect(await page.textContent('#time-zone')).toBe('Times: UTC');
    const utc = await meta();
    expect(utc.text).toContain(`Latest: ${format('UTC', utc.iso)} UTC · position`);
    expect(utc.title).toBe(`${format('Europe/Berlin', utc.iso)} Europe/Berlin`);
    // The chart's ticks follow: the newest tick label is a UTC time of the shown range.
    const ticks = JSON.parse((await page.getAttribute('figure.chart[data-field="voltage"]', 'data-x-ticks')) ?? '[]') as { label: string }[];
    const utcHour = (ms: number) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', timeZone: 'UTC' }).format(ms);
    const hours = new Set([utcHour(Date.parse(utc.iso)), utcHour(Date.parse(utc.iso) - 600_000)]); // the range shown spans at most these
    expect(hours).toContain(ticks.at(-1)?.label.slice(0, 2));
    await page.click('#time-zone');
    expect(await page.textContent('#time-zone')).toBe('Times: local (Europe/Berlin)');
  });

  it('an array field is one chart with one line per element; the feeder values equal one Linc timestamp', async () => {
    const { page } = watched;
    await page.click('#devices button.select >> text=feeder-01');
    await expect.poll(() => page.textContent('#device-title')).toBe('feeder-01');
    await page.waitForSelector('#latest-values tbody tr[data-field="voltages[2]"]', { timeout: 20_000 });
    const feeder = await latestValues(page);
    const phases = ['L1', 'L2', 'L3'].map((l) => new Map(dataRows(`linc_dataset01_${l}_2020-10-17T17-19Z.csv`).map((r) => [r.time, Number(r.voltage)])));
    expect([0, 1, 2].map((i) => Number(feeder[`voltages[${i}]`]))).toEqual(phases.map((p) => p.get(feeder.measuredAt)));
    await expect.poll(() => chartPoints(page, 'voltages'), { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    expect(await page.$$eval('figure.chart[data-field="voltages"] .u-legend .u-series', (s) => s.length)).toBe(4); // time + 3 phases
  });

  it('a device with 30 numeric fields gets 4 charts by default, the picker adds one, the latest values list all 30', async () => {
    const { page } = watched;
    expect((await gatewayApi(gateway.url, '/api/register-device', { method: 'POST', body: JSON.stringify({ deviceId: 'wide-01' }) })).status).toBe(202);
    const body = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${String(i).padStart(2, '0')}`, i]));
    const sent = await fetch(`${deviceApi}/devices/wide-01/messages/events`, {
      method: 'POST', body: JSON.stringify(body), headers: { 'iothub-contenttype': 'application/json', 'iothub-messageid': 'msg-30', 'iothub-app-site': 'lab' },
    });
    expect(sent.status).toBe(204);
    await page.click('#devices button.select >> text=wide-01');
    await expect.poll(() => page.$$eval('#latest-values tbody tr', (rows) => rows.length), { timeout: 15_000 }).toBe(30);
    await expect.poll(() => page.$$eval('figure.chart', (c) => c.map((f) => f.getAttribute('data-field')))).toEqual(['f00', 'f01', 'f02', 'f03']);
    expect(await page.textContent('#field-picker summary')).toBe('Fields (4 of 30)');
    await page.click('#field-picker summary');
    await page.check('#field-options input[value="f10"]');
    await expect.poll(() => page.$$eval('figure.chart', (c) => c.map((f) => f.getAttribute('data-field')))).toEqual(['f00', 'f01', 'f02', 'f03', 'f10']);
    await page.click('#field-picker summary');

    // The raw view: the stored message whole, system and application properties included.
    await page.click('#raw-view summary');
    type Raw = { messageId?: string; deviceId?: string; contentType?: string; properties?: unknown; body?: unknown };
    const rawMessage = async () => JSON.parse((await page.textContent('#raw-message')) || '{}') as Raw;
    await expect.poll(async () => (await rawMessage()).messageId).toBe('msg-30');
    const raw = await rawMessage();
    expect({ deviceId: raw.deviceId, contentType: raw.contentType, properties: raw.properties, body: raw.body }).toEqual({ deviceId: 'wide-01', contentType: 'application/json', properties: { site: 'lab' }, body });
    await page.click('#raw-view summary');
  });

  it('CSV export downloads exactly the rows shown, with the values the gateway stored', async () => {
    const { page } = watched;
    await page.click('#devices button.select >> text=household-meter-01');
    await expect.poll(() => chartPoints(page, 'voltage'), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await page.click('#pause');
    const shown = Number(await page.getAttribute('#charts', 'data-rows'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(download.suggestedFilename()).toMatch(/^household-meter-01_\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}_.+\.csv$/);
    const { header, rows } = csvFile((await download.path()));
    expect(header).toEqual(['enqueuedTime', 'position', 'voltage', 'current', 'activePower', 'reactivePower']);
    expect(rows.length).toBe(shown);
    expect(await chartPoints(page, 'voltage')).toBe(shown);
    const history = await historyOf(gateway.url, 'household-meter-01');
    const byPosition = new Map(history.map((item) => [`${item.partitionId}:${item.sequenceNumber}`, item]));
    for (const [enqueuedTime, position, ...values] of rows) {
      const item = byPosition.get(position!);
      expect(item, position).toBeDefined();
      expect([enqueuedTime, ...values.map(Number)]).toEqual([item!.enqueuedTime, item!.body.voltage, item!.body.current, item!.body.activePower, item!.body.reactivePower]);
    }
    // Paused: new messages arrive (the meta line moves on) but the chart keeps what it showed.
    const held = (await page.textContent('#device-meta')) ?? '';
    await expect.poll(() => page.textContent('#device-meta'), { timeout: 10_000 }).not.toBe(held);
    expect(await chartPoints(page, 'voltage')).toBe(shown);
    await page.click('#pause');
    await expect.poll(() => chartPoints(page, 'voltage'), { timeout: 10_000 }).toBeGreaterThan(shown);
  });

  it('units of the simulated devices (V, A, kW) on axes, legend and latest values', async () => {
    const { page } = watched;
    await page.click('#devices button.select >> text=household-meter-01');
    const units = async () => page.$$eval('figure.chart', (f) => f.map((e) => [e.getAttribute('data-field'), e.getAttribute('data-unit'), e.querySelector('figcaption')?.textContent]));
    await expect.poll(units, { timeout: 15_000 }).toEqual([
      ['voltage', 'V', 'voltage (V)'], ['current', 'A', 'current (A)'], ['activePower', 'kW', 'activePower (kW)'], ['reactivePower', 'kW', 'reactivePower (kW)'],
    ]);
    await expect.poll(async () => (await page.textContent('figure.chart[data-field="voltage"] .u-legend .u-series:nth-child(2) .u-value')) ?? '').toMatch(/^\d+(\.\d+)? V$/);
    expect(await page.textContent('#latest-values tbody tr[data-field="activePower"] td')).toMatch(/^\d+(\.\d+)? kW$/);
  });

  it('the device list comes pushed (`devices` messages): no GET /api/devices after sign-in', async () => {
    const { page } = watched;
    const polls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/devices') polls.push(request.url());
    });
    const first = await page.getAttribute('#devices tr[data-device-id="household-meter-02"] td.last-seen time', 'datetime');
    await expect.poll(() => page.getAttribute('#devices tr[data-device-id="household-meter-02"] td.last-seen time', 'datetime'), { timeout: 5000 }).not.toBe(first);
    await page.waitForFunction((n) => Number(document.getElementById('devices')?.dataset.renders) >= n + 6, Number(await page.getAttribute('#devices', 'data-renders')));
    expect(polls).toEqual([]);
  });

  it('the dashboard asks for batched frames on every live socket', () => {
    expect(liveSockets.length).toBeGreaterThan(0);
    expect(liveSockets.map((url) => `${new URL(url).pathname}${new URL(url).search}`)).toEqual(liveSockets.map(() => '/api/ws?batch=true'));
  });

  it('the whole run stayed within the Content Security Policy', async () => {
    expect(await cspViolations(watched)).toEqual([]);
  });
});
