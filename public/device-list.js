// The registered devices as the page knows them: from the pushed `devices` message, polled from GET /api/devices
// only while the gateway has not pushed one; status and lastSeen patched in between by live messages.
import { listDevices } from './api.js';
import { $ } from './dom.js';
import { renderDeviceTable, updateLastSeen } from './device-table.js';
import { Liveness } from './liveness.js';

export class DeviceList {
  /** @param {{ select: (id: string) => void, unregister: (id: string) => void }} actions */
  constructor(actions) {
    this.actions = actions;
    this.devices = [];
    this.defaultDevice = null;
    this.pushed = false; // the gateway sends `devices` messages: no polling needed
    this.selected = null;
    this.online = false;
    this.liveness = new Liveness();
    this.selectedInterval = () => undefined;
  }

  /** A `devices` message or a GET /api/devices answer. */
  replace(answer, pushed) {
    if (pushed) this.pushed = true;
    this.devices = answer.devices;
    this.defaultDevice = answer.defaultDevice;
    for (const device of this.devices) this.liveness.observe(device.deviceId, device.lastSeen);
    this.liveness.forget(new Set(this.devices.map((d) => d.deviceId)));
    this.render();
  }

  /** Polls once, unless the gateway pushes the list. @throws what the API throws. */
  async refresh(force = false) {
    if (this.pushed && !force) return;
    this.replace(await listDevices(), false);
  }

  find(deviceId) {
    return this.devices.find((d) => d.deviceId === deviceId);
  }

  /** A device `status` or `subscribed` message. */
  patchStatus(message) {
    const device = this.find(message.deviceId);
    if (!device) return;
    device.status = message.status;
    device.isConnected = message.isConnected;
    this.render();
  }

  /** A live message of `deviceId` enqueued at `enqueuedTime`: its lastSeen moves on at once. */
  seen(deviceId, enqueuedTime) {
    const device = this.find(deviceId);
    if (!device || (device.lastSeen && device.lastSeen >= enqueuedTime)) return;
    device.lastSeen = enqueuedTime;
    this.liveness.observe(deviceId, enqueuedTime);
    this.tick();
  }

  intervalOf(deviceId) {
    return (deviceId === this.selected ? this.selectedInterval() : undefined) ?? this.liveness.intervalMs(deviceId);
  }

  render() {
    renderDeviceTable($('devices'), this.devices, {
      selected: this.selected, online: this.online, intervalOf: (id) => this.intervalOf(id), actions: this.actions,
    });
  }

  /** Once a second: relative times and stale markers. */
  tick() {
    updateLastSeen($('devices'), this.devices, (id) => this.intervalOf(id));
  }
}
