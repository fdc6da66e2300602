import type { HubState, HubView } from '../hub/hub-state.js';
import type { Units } from '../schemas/devices.js';
import type { DeviceState, DeviceStatus, StatusEvent } from './device-state.js';
import { createHubEventLog, type HubEventLog } from './hub-event-log.js';

/** The registry's record of one registered device. Times ISO 8601 UTC unless the name says ms. */
export interface Entry {
  deviceId: string;
  registeredAt: string;
  /** The registration's units (field path → unit); `{}` when none were given. */
  units: Units;
  lastSeen: string | null;
  /** Time of the latest query, ms since epoch; formatted as `lastQueried` only when a state is read. */
  lastQueriedMs: number;
  /** No activity for `INACTIVITY_TIMEOUT` s: not watched. */
  inactive: boolean;
  /** When the device was registered or last reactivated, ms since epoch: `registered` once the hub connected since. */
  activatedAtMs: number;
  /** Time of the latest activity, ms since epoch: the inactivity clock. */
  lastActivityMs: number;
  /** Open live subscriptions holding the device active. */
  holds: number;
  /** When this instance last shared the device's activity with the others, ms since epoch (-Infinity: never). */
  sharedActivityMs: number;
  /** The device's hub events and connection state (in memory; a new registration starts empty). */
  hub: HubEventLog;
}

let lastFormatted = { ms: Number.NaN, iso: '' };

/** `new Date(ms).toISOString()`, remembering the last one: a busy REST client queries many times per millisecond. */
function isoTime(ms: number): string {
  if (ms !== lastFormatted.ms) lastFormatted = { ms, iso: new Date(ms).toISOString() };
  return lastFormatted.iso;
}

/**
 * A device's status, derived from the hub where it is read: `inactive`; else `registered` once the hub consumer was
 * connected (every partition read) at some time since the device's activation; else `registering`.
 */
export function statusOf(entry: Entry, hub: HubView): DeviceStatus {
  if (entry.inactive) return 'inactive';
  return hub.lastConnectedMs() >= entry.activatedAtMs ? 'registered' : 'registering';
}

/**
 * The public state of a device: `isConnected` is true when the device is watched (not `inactive`) and the hub
 * consumer is `connected` (every partition read, no unrecovered error); it says nothing about the device itself.
 */
export function toDeviceState(entry: Entry, hub: HubView): DeviceState {
  return {
    deviceId: entry.deviceId, registeredAt: entry.registeredAt, units: entry.units, lastSeen: entry.lastSeen, lastQueried: isoTime(entry.lastQueriedMs),
    status: statusOf(entry, hub), isConnected: !entry.inactive && hub.state() === 'connected',
    connectionState: entry.hub.connectionState, connectionStateUpdatedAt: entry.hub.connectionStateUpdatedAt,
  };
}

/**
 * The hub-wide status event (no `deviceId`) for a hub consumer state change from `was` to `state`; `reason` is
 * `hub connection restored`, `hub connection lost[: why]`, `hub consumer closed: no device watched`, or the
 * consumer's own reason.
 */
export function hubStatusEvent(state: HubState, was: HubState, reason: string | null): StatusEvent {
  const why =
    state === 'connected' ? 'hub connection restored' :
    state === 'closed' ? 'hub consumer closed: no device watched' :
    was === 'connected' ? `hub connection lost${reason ? `: ${reason}` : ''}` : reason ?? `hub ${state}`;
  return { status: state, isConnected: state === 'connected', reason: why };
}

/**
 * Replaces the entry's units when `units` is given and differs (same fields and units, in any order, is no change).
 * @returns true when they changed.
 */
export function replaceUnits(entry: Entry, units: Units | undefined): boolean {
  if (units === undefined) return false;
  const same = (a: Units, b: Units) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  if (same(entry.units, units)) return false;
  entry.units = { ...units };
  return true;
}

/** A new record, active from `nowMs` (ms since epoch), with `units` (default none). */
export function createEntry(deviceId: string, registeredAt: string, nowMs: number, units: Units = {}): Entry {
  return { deviceId, registeredAt, units: { ...units }, lastSeen: null, lastQueriedMs: nowMs, inactive: false, activatedAtMs: nowMs, lastActivityMs: nowMs, holds: 0, sharedActivityMs: -Infinity, hub: createHubEventLog() };
}
