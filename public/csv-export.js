// CSV (RFC 4180, written by csv-stringify) of the rows in view: one line per message, the time, its position and
// every charted value.
import { stringify } from '/vendor/csv-stringify/sync.js';
import { numericCharts } from './fields.js';

/**
 * The CSV text of `rows` (`{ t, message }`) for the chart names `chosen`: columns `enqueuedTime` (ISO 8601 UTC),
 * `position`, then one per line of each chart (`voltage`, `voltages[0]`, …), empty where a message lacks it.
 */
export function toCsv(rows, chosen) {
  const parsed = rows.map((row) => numericCharts(row.message.body));
  const columns = [];
  for (const name of chosen) {
    for (const charts of parsed) for (const [label] of charts.get(name) ?? []) if (!columns.includes(label)) columns.push(label);
  }
  const lines = [['enqueuedTime', 'position', ...columns]];
  rows.forEach((row, i) => {
    const values = new Map([...parsed[i].values()].flat());
    lines.push([row.message.enqueuedTime, row.message.position, ...columns.map((c) => values.get(c) ?? '')]);
  });
  return stringify(lines, { quoted: true, record_delimiter: 'windows' });
}

/** Starts a real download of `text` as `fileName` (a Blob URL, revoked after the click). */
export function download(text, fileName) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
