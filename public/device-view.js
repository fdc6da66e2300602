// The selected device: its held messages, charts, field choice, time range, pause, latest values, raw view, CSV.
import { DeviceCharts } from './charts.js';
import { download, toCsv } from './csv-export.js';
import { $ } from './dom.js';
import { FieldPicker } from './field-picker.js';
import { numericCharts } from './fields.js';
import { clearLatest, renderLatest } from './latest-table.js';
import { refreshRaw, showRaw } from './raw-view.js';
import { SeriesStore } from './series-store.js';
import { formatDateTime, onTimeZoneChange, otherZoneTitle, timeZoneLabel } from './time-format.js';

const RAW_REFRESH_MS = 2000;

export class DeviceView {
  constructor() {
    this.store = new SeriesStore();
    this.charts = new DeviceCharts($('charts'));
    this.picker = new FieldPicker(() => this.redraw());
    this.deviceId = null;
    this.units = {};
    this.pausedAt = null; // ms: the end of the frozen view, or null when live
    this.rawAt = 0;
    this.frame = 0;
    $('time-range').addEventListener('change', () => this.redraw());
    $('pause').addEventListener('click', () => this.setPaused(this.pausedAt === null));
    $('export-csv').addEventListener('click', () => this.exportCsv());
    $('raw-view').addEventListener('toggle', () => this.raw(true));
    onTimeZoneChange(() => {
      this.charts.rebuild();
      this.renderMeta();
    });
  }

  select(deviceId, units) {
    this.deviceId = deviceId;
    this.units = units ?? {};
    this.store.clear();
    this.charts.clear();
    this.picker.select(deviceId);
    clearLatest($('latest-values'));
    showRaw(undefined);
    this.setPaused(false);
    this.notice('');
    $('device-title').textContent = deviceId ?? 'No device selected';
    $('latest-device').textContent = deviceId ?? '';
    $('view-controls').hidden = !deviceId;
    this.renderMeta();
  }

  /** New units from the device list; redraws when they changed. */
  setUnits(units) {
    if (JSON.stringify(units ?? {}) === JSON.stringify(this.units)) return;
    this.units = units ?? {};
    this.charts.rebuild();
    this.redraw();
  }

  /** Adds messages (history items with `position`, or live `telemetry`); draws once per frame. */
  add(messages) {
    let added = false;
    for (const message of messages) added = this.store.add(message) || added;
    if (!added) return;
    const newest = this.store.newest();
    renderLatest($('latest-values'), newest, this.units);
    this.renderMeta();
    this.raw(false);
    this.redraw();
  }

  notice(text) {
    $('device-notice').textContent = text;
  }

  setPaused(paused) {
    this.pausedAt = paused ? Date.now() : null;
    $('pause').dataset.paused = String(paused);
    $('pause').textContent = paused ? 'Resume' : 'Pause';
    this.redraw();
  }

  /** The rows in view: the chosen range ending now (or at the pause), or all held. */
  rowsInView() {
    const end = this.pausedAt ?? Infinity;
    const range = $('time-range').value;
    const from = range === 'all' ? null : (this.pausedAt ?? Date.now()) - Number(range);
    return this.store.between(from, end);
  }

  redraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const newest = this.store.newest();
      if (newest) this.picker.offer([...numericCharts(newest.body).keys()]);
      const rows = this.pausedAt === null ? this.rowsInView() : (this.frozen ??= this.rowsInView());
      if (this.pausedAt === null) this.frozen = undefined;
      this.charts.draw(rows, this.picker.chosen(), this.units);
      $('charts').dataset.rows = String(rows.length);
      const empty = rows.length === 0 && this.store.rows.length > 0;
      $('charts-empty').hidden = !empty;
      $('charts-empty').textContent = empty ? 'No message in this time range: choose a longer one to see what the gateway holds.' : '';
    });
  }

  renderMeta() {
    const newest = this.store.newest();
    if (!newest) {
      $('device-meta').textContent = this.deviceId ? 'No message stored yet.' : '';
      return;
    }
    const ms = Date.parse(newest.enqueuedTime);
    $('device-meta').textContent = `Latest: ${formatDateTime(ms)} ${timeZoneLabel()} · position ${newest.position} · ${this.store.rows.length} held`;
    $('device-meta').title = otherZoneTitle(ms);
  }

  raw(force) {
    const now = Date.now();
    if (!force && now - this.rawAt < RAW_REFRESH_MS) return;
    this.rawAt = now;
    const deviceId = this.deviceId;
    refreshRaw(deviceId, () => this.deviceId === deviceId).catch(() => undefined); // shown again at the next message
  }

  exportCsv() {
    const rows = this.pausedAt === null ? this.rowsInView() : (this.frozen ?? this.rowsInView());
    const stamp = (ms) => new Date(ms).toISOString().replaceAll(':', '-').slice(0, 19);
    const name = rows.length ? `${this.deviceId}_${stamp(rows[0].t)}_${stamp(rows[rows.length - 1].t)}.csv` : `${this.deviceId}.csv`;
    download(toCsv(rows, this.picker.chosen()), name);
  }
}
