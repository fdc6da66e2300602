// Dashboard wiring: API key, connection states, device list, selection, live updates over WebSocket.
import { GatewayClient } from '/vendor/client/index.js';
import * as gateway from './api.js';
import { confirmAction } from './confirm-dialog.js';
import { ConnectionView } from './connection-view.js';
import { DeviceList } from './device-list.js';
import { DeviceView } from './device-view.js';
import { renderDiscovered } from './discovered-list.js';
import { $ } from './dom.js';
import { loadHistory } from './history-loader.js';
import { setTimeZone, timeZone, timeZoneLabel } from './time-format.js';

/** Fallback polling of GET /api/devices (ms), only while the gateway does not push `devices`. */
const POLL_MS = 5000;
/** GET /api/hub/devices ("Seen on the hub") is polled at this interval (ms). */
const DISCOVERED_MS = 5000;

const view = new DeviceView();
const list = new DeviceList({ select: (id) => select(id), unregister: (id) => unregister(id) });
list.selectedInterval = () => view.store.usualIntervalMs();
const connection = new ConnectionView({ retryNow: () => live.retryNow() });
let timers = [];

// The gateway's client (client/, served at /vendor/client/): auth, reconnect with backoff, resume, close codes.
const live = new GatewayClient({ url: location.origin, apiKey: gateway.getApiKey, batch: true });
live.on('message', onMessage);
live.on('state', (state) => {
  const was = connection.gateway.state;
  connection.setGateway(state);
  list.online = connection.online;
  list.render();
  if (state.state === 'connected' && was !== 'connected') onConnected();
  if (state.state === 'offline' && state.why === 'unauthorized') askForKey('The gateway refused the API key.');
});

function onConnected() {
  const stamp = connection.hubStamp;
  gateway.readiness().then((answer) => connection.setReadiness(answer, stamp), () => undefined);
  void refreshDevices(); // statuses may have changed while away
}

function onMessage(message) {
  if (message.type === 'devices') return onDevices(message);
  if (message.type === 'status' && !message.deviceId) {
    connection.setHubStatus(message);
    if (!list.pushed) void refreshDevices(); // every device's isConnected follows the hub's state
    return;
  }
  if (message.type === 'error') $('devices-error').textContent = message.message;
  if ((message.type === 'status' || message.type === 'subscribed') && message.deviceId) list.patchStatus(message);
  if (message.type === 'telemetry') list.seen(message.deviceId, message.enqueuedTime);
  if (message.deviceId !== view.deviceId) return;
  if (message.type === 'telemetry') view.add([message]);
  else if (message.type === 'subscribed' && message.latest) view.add([message.latest]);
  else if (message.type === 'reset') {
    view.notice('The gateway no longer held the point this page resumed from: what it holds was merged in; messages from while it was away may be missing.');
  } else if (message.type === 'dropped') {
    view.notice(`${message.count} messages skipped: the connection was too slow.`);
  }
}

function onDevices(message) {
  list.replace(message, true);
  afterListChange();
}

function afterListChange() {
  const selected = list.find(view.deviceId);
  if (selected) view.setUnits(selected.units);
  else void select(list.defaultDevice ?? list.devices[0]?.deviceId ?? null);
}

async function select(deviceId) {
  if (view.deviceId === deviceId) return;
  if (view.deviceId) live.unsubscribe(view.deviceId);
  list.selected = deviceId;
  view.select(deviceId, list.find(deviceId)?.units);
  list.render();
  if (!deviceId) return;
  try {
    const items = await loadHistory(deviceId, () => view.deviceId === deviceId);
    if (view.deviceId !== deviceId) return;
    view.add(items);
  } catch (error) {
    if (error instanceof gateway.UnauthorizedError) return askForKey('The gateway refused the API key.');
    view.notice(`History not available: ${error.message}`);
  }
  const from = view.store.newest()?.position;
  if (view.deviceId === deviceId) live.subscribe(deviceId, from ? { from } : {});
}

async function refreshDevices(force = false) {
  try {
    await list.refresh(force);
    $('devices-error').textContent = '';
    afterListChange();
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

async function refreshDiscovered() {
  const { devices } = await gateway.listDiscovered();
  renderDiscovered($('discovered'), devices, list.devices, register);
}

/** Registers `deviceId` and selects it. @returns the API's error message, or null on success. */
async function register(deviceId) {
  try {
    await gateway.registerDevice(deviceId);
  } catch (error) {
    if (error instanceof gateway.UnauthorizedError) askForKey('The gateway refused the API key.');
    return error.message;
  }
  await refreshDevices(true);
  await select(deviceId);
  refreshDiscovered().catch(() => undefined);
  return null;
}

async function unregister(deviceId) {
  const sure = await confirmAction(`Unregister ${deviceId}?`, `The gateway stops storing ${deviceId}'s messages and forgets its history. You can register it again later.`, 'Unregister');
  if (!sure) return;
  try {
    await gateway.unregisterDevice(deviceId);
  } catch (error) {
    $('devices-error').textContent = error.message;
  }
  if (deviceId === view.deviceId) await select(null);
  await refreshDevices(true);
}

function showRegisterError(message) {
  $('register-error').textContent = message ?? '';
  $('register-id').setAttribute('aria-invalid', String(Boolean(message)));
}

function askForKey(reason) {
  for (const timer of timers) clearInterval(timer);
  timers = [];
  live.close();
  gateway.clearApiKey();
  $('dashboard').hidden = true;
  $('key-panel').hidden = false;
  $('key-error').textContent = reason;
  $('api-key').focus();
}

async function start() {
  if (!gateway.getApiKey()) return askForKey(''); // nothing to ask the gateway without a key
  if (!(await refreshDevices(true))) return;
  $('key-panel').hidden = true;
  $('dashboard').hidden = false;
  live.connect();
  refreshDiscovered().catch(() => undefined);
  timers = [
    setInterval(() => void (connection.online && refreshDevices()), POLL_MS),
    setInterval(() => void (connection.online && refreshDiscovered().catch(() => undefined)), DISCOVERED_MS),
    setInterval(() => {
      list.tick();
      connection.render();
    }, 1000),
  ];
}

function renderTimeZone() {
  $('time-zone').textContent = `Times: ${timeZone() === 'UTC' ? 'UTC' : `local (${timeZoneLabel()})`}`;
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  gateway.setApiKey($('api-key').value.trim());
  $('api-key').value = '';
  void start();
});
$('register-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const deviceId = $('register-id').value.trim();
  showRegisterError(null);
  const failure = await register(deviceId);
  if (failure) showRegisterError(failure);
  else $('register-id').value = '';
});
$('register-id').addEventListener('input', () => showRegisterError(null));
$('forget-key').addEventListener('click', () => askForKey(''));
$('time-zone').addEventListener('click', () => {
  setTimeZone(timeZone() === 'UTC' ? 'local' : 'UTC');
  renderTimeZone();
  list.render();
});

renderTimeZone();
void start();
