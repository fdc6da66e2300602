// The registered-devices table and the list of devices seen on the hub but not registered.

function cell(content) {
  const td = document.createElement('td');
  td.append(content);
  return td;
}

/** Renders registered devices: ID (click to select), status, consumer state, and an Unregister button. */
export function renderDeviceTable(table, devices, selected, actions) {
  const rows = devices.map((device) => {
    const row = document.createElement('tr');
    row.dataset.deviceId = device.deviceId;
    if (device.deviceId === selected) row.className = 'selected';
    const name = document.createElement('button');
    name.className = 'select';
    name.textContent = device.deviceId;
    name.addEventListener('click', () => void actions.select(device.deviceId));
    const remove = document.createElement('button');
    remove.textContent = 'Unregister';
    remove.addEventListener('click', () => void actions.unregister(device.deviceId));
    const status = cell(device.status);
    status.className = `status-${device.status}`;
    row.append(cell(name), status, cell(device.isConnected ? 'connected' : 'not connected'), cell(remove));
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
}

/** Renders devices seen on the hub that are not registered, each with a Register button. */
export function renderDiscovered(list, discovered, registeredDevices, register) {
  const registered = new Set(registeredDevices.map((d) => d.deviceId));
  const items = discovered.filter((d) => !registered.has(d.deviceId)).map((device) => {
    const item = document.createElement('li');
    item.dataset.deviceId = device.deviceId;
    const label = document.createElement('span');
    label.textContent = `${device.deviceId} (${device.messageCount} msgs)`;
    label.title = `last seen ${device.lastSeen}`;
    const add = document.createElement('button');
    add.textContent = 'Register';
    add.addEventListener('click', () => void register(device.deviceId));
    item.append(label, add);
    return item;
  });
  list.replaceChildren(...items);
}
