// The plain latest-values table: one row per leaf of the body (`voltages[0]`, …), for people and tests alike.
import { leaves } from './fields.js';

export function renderLatest(table, meta, message) {
  const rows = leaves(message.body).map(([name, value]) => {
    const row = document.createElement('tr');
    row.dataset.field = name;
    const head = document.createElement('th');
    head.scope = 'row';
    head.textContent = name;
    const cell = document.createElement('td');
    cell.textContent = typeof value === 'string' ? value : JSON.stringify(value);
    row.append(head, cell);
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
  meta.textContent = `Enqueued ${message.enqueuedTime} · position ${message.position} · ${message.bodyEncoding}`;
}

export function clearLatest(table, meta) {
  table.tBodies[0].replaceChildren();
  meta.textContent = '';
}
