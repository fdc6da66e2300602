// The plain latest-values table: one row per leaf of the body (`voltages[0]`, …), for people and tests alike.
import { leaves } from './fields.js';
import { formatValue } from './time-format.js';

/** Fills `table` with the leaves of `message.body`; numbers get the browser's format and the unit of their chart. */
export function renderLatest(table, message, units = {}) {
  const rows = leaves(message.body).map(([name, value]) => {
    const row = document.createElement('tr');
    row.dataset.field = name;
    row.dataset.value = typeof value === 'string' ? value : JSON.stringify(value);
    const head = document.createElement('th');
    head.scope = 'row';
    head.textContent = name;
    const cell = document.createElement('td');
    const unit = units[name] ?? units[name.split(/[.[]/)[0]];
    cell.textContent = typeof value === 'number' ? formatValue(value, unit) : row.dataset.value;
    row.append(head, cell);
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
}

export function clearLatest(table) {
  table.tBodies[0].replaceChildren();
}
