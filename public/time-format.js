// One time-zone choice (the browser's local zone or UTC) for every time the page shows, chart axes included, and
// the browser's locale (Intl) for every format. The other zone is always in the `title` (shown on hover).

const STORAGE = 'iothubGateway.timeZone';
const listeners = new Set();
let zone = localStorage.getItem(STORAGE) === 'UTC' ? 'UTC' : 'local';

const localName = () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local';
const zoneOption = (z) => (z === 'UTC' ? { timeZone: 'UTC' } : {});

/** `'local'` or `'UTC'`. */
export const timeZone = () => zone;

/** The zone's name as shown: `UTC` or the browser's IANA zone (`Europe/Berlin`). */
export const timeZoneLabel = (z = zone) => (z === 'UTC' ? 'UTC' : localName());

export function setTimeZone(next) {
  zone = next === 'UTC' ? 'UTC' : 'local';
  localStorage.setItem(STORAGE, zone);
  for (const listener of listeners) listener(zone);
}

/** Calls `listener(zone)` on every change of the choice. */
export const onTimeZoneChange = (listener) => listeners.add(listener);

/** Date and time with seconds in the chosen zone (`en-GB`: `16/12/2026, 17:28:05`). */
export function formatDateTime(ms, z = zone) {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium', ...zoneOption(z) }).format(ms);
}

/** The same instant in the other zone, for a `title`. */
export function otherZoneTitle(ms) {
  const other = zone === 'UTC' ? 'local' : 'UTC';
  return `${formatDateTime(ms, other)} ${timeZoneLabel(other)}`;
}

/**
 * A tick label for a chart axis whose ticks are `incrementS` seconds apart: time with seconds below a minute, hours
 * and minutes below a day, else the date. Short and single-line, so labels never overlap at uPlot's tick spacing.
 */
export function formatTick(ms, incrementS) {
  const options = incrementS < 60 ? { timeStyle: 'medium' } : incrementS < 86_400 ? { hour: '2-digit', minute: '2-digit' } : { dateStyle: 'short' };
  return new Intl.DateTimeFormat(undefined, { ...options, ...zoneOption(zone) }).format(ms);
}

const UNITS = [['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]];

/** `5 s ago`, `3 min ago`, `now` in the browser's language; `ms` in the past (future times count as now). */
export function formatAgo(ms, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
  const [unit, size] = UNITS.find(([, s]) => seconds >= s) ?? ['second', 1];
  return rtf.format(-Math.floor(seconds / size), unit);
}

/** A number in the browser's locale with up to 3 decimals, and its unit when known (`235.68 V`). */
export function formatValue(value, unit) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 }).format(value);
  return unit ? `${text} ${unit}` : text;
}
