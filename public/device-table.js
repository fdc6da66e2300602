// The registered-devices table: ID (select), what the gateway does with it, last seen (relative, live) with a
// stale marker, and Unregister.
import { h } from './dom.js';
import { isStale, STALE_AFTER_INTERVALS } from './liveness.js';
import { formatAgo, formatDateTime, otherZoneTitle, timeZoneLabel } from './time-format.js';

/** What the gateway does with a device, in words (`status` and `isConnected` of GET /api/devices). */
export function gatewayRole(device, online) {
  if (!online) return 'unknown while the gateway is offline';
  if (device.status === 'inactive') return 'inactive: messages not stored';
  if (device.status === 'registering') return 'registering: waiting for the hub';
  if (!device.isConnected) return 'waiting for the hub connection';
  return 'messages stored';
}

/**
 * Renders `devices` into `table`; `intervalOf(id)` is the device's usual interval (ms) or undefined. Actions:
 * `select(id)`, `unregister(id)`.
 */
export function renderDeviceTable(table, devices, { selected, online, intervalOf, actions }) {
  const rows = devices.map((device) => {
    const name = h('button', { type: 'button', className: 'link-button select', onclick: () => void actions.select(device.deviceId) }, device.deviceId);
    if (device.deviceId === selected) name.setAttribute('aria-current', 'true');
    const role = h('span', { className: 'state-word', dataset: { status: online ? device.status : 'unknown' } }, gatewayRole(device, online));
    const seen = h('td', { className: 'last-seen' });
    const remove = h('button', {
      type: 'button', className: 'button button-small unregister', onclick: () => void actions.unregister(device.deviceId),
      'aria-label': `Unregister ${device.deviceId}`,
    }, 'Unregister');
    const row = h('tr', { className: device.deviceId === selected ? 'selected' : '', dataset: { deviceId: device.deviceId } },
      h('td', {}, name, role), seen, h('td', {}, remove));
    row.dataset.interval = String(intervalOf(device.deviceId) ?? '');
    fillLastSeen(seen, device.lastSeen, intervalOf(device.deviceId));
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
  table.dataset.renders = String(Number(table.dataset.renders ?? 0) + 1);
}

/** Re-renders every row's relative last-seen time and stale marker (called once a second). */
export function updateLastSeen(table, devices, intervalOf) {
  for (const device of devices) {
    const cell = table.querySelector(`tr[data-device-id="${CSS.escape(device.deviceId)}"] td.last-seen`);
    if (cell) fillLastSeen(cell, device.lastSeen, intervalOf(device.deviceId));
  }
}

function fillLastSeen(cell, lastSeen, intervalMs) {
  if (!lastSeen) {
    cell.replaceChildren(h('span', { className: 'state-word' }, 'never'));
    return;
  }
  const ms = Date.parse(lastSeen);
  const time = h('time', { dateTime: lastSeen, title: `${formatDateTime(ms)} ${timeZoneLabel()} · ${otherZoneTitle(ms)}` }, formatAgo(ms));
  const stale = isStale(ms, intervalMs);
  const mark = h('span', {
    className: 'stale-mark', hidden: !stale,
    title: `No message for more than ${STALE_AFTER_INTERVALS}× this device's usual interval`,
  }, 'stale');
  cell.dataset.stale = String(stale);
  cell.replaceChildren(time, mark);
}
