// Devices seen on the hub but not registered, each with a Register button.
import { h } from './dom.js';
import { formatAgo } from './time-format.js';

/** Renders `discovered` minus `registeredDevices`; `register(id)` is called by a Register button. */
export function renderDiscovered(list, discovered, registeredDevices, register) {
  const registered = new Set(registeredDevices.map((d) => d.deviceId));
  const items = discovered.filter((d) => !registered.has(d.deviceId)).map((device) => {
    const seen = device.lastSeen ? `, last ${formatAgo(Date.parse(device.lastSeen))}` : '';
    return h('li', { dataset: { deviceId: device.deviceId } },
      h('span', {}, h('span', { className: 'device-id' }, device.deviceId), ` ${device.messageCount} messages${seen}`),
      h('button', { type: 'button', className: 'button button-small', onclick: () => void register(device.deviceId), 'aria-label': `Register ${device.deviceId}` }, 'Register'));
  });
  if (items.length === 0) items.push(h('li', { className: 'hint' }, 'None right now.'));
  list.replaceChildren(...items);
}
