// Dashboard wiring: API key, device lists, selection, live updates over WebSocket.
import * as gateway from './api.js';
import { DeviceCharts } from './charts.js';
import { renderDeviceTable, renderDiscovered } from './device-lists.js';
import { clearLatest, renderLatest } from './latest-table.js';
import { LiveClient } from './live.js';
import { positionOf } from './protocol.js';

const HISTORY_POINTS = 100;
const POLL_MS = 5000;
const $ = (id) => document.getElementById(id);

const charts = new DeviceCharts($('charts'));
let selected = null;
let pollTimer;
let devices = [];

const live = new LiveClient({
  apiKey: gateway.getApiKey,
  onMessage,
  onState: (state, detail) => {
    const was = $('connection-state').dataset.state;
    if (state === 'connected' && was !== 'connected') void refresh(); // statuses may have changed while away
    $('connection-state').dataset.state = state;
    $('connection-state').textContent = detail ? `${state}: ${detail}` : state;
  },
  onUnauthorized: () => askForKey('The gateway refused the API key.'),
});

function onMessage(message) {
  if (message.type === 'error') $('devices-error').textContent = message.message;
  if (message.type === 'status' && !message.deviceId) {
    $('device-notice').textContent = `Hub: ${message.reason}`;
    void refresh(); // every device's isConnected follows the hub's state
  }
  if ((message.type === 'status' || message.type === 'subscribed') && message.deviceId) updateDeviceStatus(message);
  if (message.deviceId !== selected) return;
  if (message.type === 'subscribed' && message.latest && !$('latest-values').tBodies[0].rows.length) {
    renderLatest($('latest-values'), $('device-meta'), message.latest);
  } else if (message.type === 'telemetry') {
    charts.add(message);
    renderLatest($('latest-values'), $('device-meta'), message);
  } else if (message.type === 'reset') {
    charts.clear();
    $('device-notice').textContent = 'Missed messages are no longer held by the gateway: showing its whole history.';
  } else if (message.type === 'dropped') {
    $('device-notice').textContent = `${message.count} messages skipped: the connection was too slow.`;
  }
}

async function select(deviceId) {
  if (selected) live.unsubscribe(selected);
  selected = deviceId;
  charts.clear();
  clearLatest($('latest-values'), $('device-meta'));
  $('device-notice').textContent = '';
  $('device-title').textContent = deviceId ?? 'No device selected';
  renderDevices();
  if (!deviceId) return;
  let from;
  try {
    const { items } = await gateway.deviceHistory(deviceId, HISTORY_POINTS);
    if (selected !== deviceId) return;
    const oldestFirst = [...items].reverse();
    for (const item of oldestFirst) charts.add(item);
    const newest = items[0];
    if (newest) {
      renderLatest($('latest-values'), $('device-meta'), { ...newest, position: positionOf(newest) });
      from = positionOf(newest);
    }
  } catch (error) {
    if (error instanceof gateway.UnauthorizedError) return askForKey('The gateway refused the API key.');
  }
  live.subscribe(deviceId, from);
}

function updateDeviceStatus(event) {
  const device = devices.find((d) => d.deviceId === event.deviceId);
  if (!device) return;
  device.status = event.status;
  device.isConnected = event.isConnected;
  renderDevices();
}

function renderDevices() {
  renderDeviceTable($('devices'), devices, selected, { select, unregister });
}

async function refresh() {
  try {
    const answer = await gateway.listDevices();
    $('devices-error').textContent = '';
    devices = answer.devices;
    renderDevices();
    if (!selected || !devices.some((d) => d.deviceId === selected)) {
      const first = answer.defaultDevice ?? devices[0]?.deviceId ?? null;
      if (first !== selected) await select(first);
    }
    renderDiscovered($('discovered'), (await gateway.listDiscovered()).devices, devices, register);
    return true;
  } catch (error) {
    if (error instanceof gateway.UnauthorizedError) {
      askForKey(gateway.getApiKey() ? 'The gateway refused the API key.' : '');
      return false;
    }
    $('devices-error').textContent = `Gateway unreachable: ${error.message}`;
    return true;
  }
}

async function register(deviceId) {
  try {
    await gateway.registerDevice(deviceId);
    $('devices-error').textContent = '';
  } catch (error) {
    $('devices-error').textContent = error.message;
  }
  await refresh();
}

async function unregister(deviceId) {
  try {
    await gateway.unregisterDevice(deviceId);
  } catch (error) {
    $('devices-error').textContent = error.message;
  }
  if (deviceId === selected) await select(null);
  await refresh();
}

function askForKey(reason) {
  clearTimeout(pollTimer);
  live.stop();
  gateway.clearApiKey();
  $('dashboard').hidden = true;
  $('key-panel').hidden = false;
  $('key-error').textContent = reason;
  $('api-key').focus();
}

async function start() {
  if (!gateway.getApiKey()) return askForKey(''); // nothing to ask the gateway without a key
  if (!(await refresh())) return;
  $('key-panel').hidden = true;
  $('dashboard').hidden = false;
  live.start();
  const poll = async () => {
    await refresh();
    pollTimer = setTimeout(() => void poll(), POLL_MS);
  };
  pollTimer = setTimeout(() => void poll(), POLL_MS);
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  gateway.setApiKey($('api-key').value.trim());
  $('api-key').value = '';
  void start();
});
$('register-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const deviceId = $('register-id').value.trim();
  $('register-id').value = '';
  if (deviceId) void register(deviceId);
});
$('forget-key').addEventListener('click', () => askForKey(''));

void start();
