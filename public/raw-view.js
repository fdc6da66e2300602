// The raw view: the newest stored message of the selected device, whole (system and application properties).
import { deviceHistory } from './api.js';
import { $ } from './dom.js';

/** Shows `message` (a history item) as indented JSON; nothing when undefined. */
export function showRaw(message) {
  $('raw-message').textContent = message ? JSON.stringify(message, null, 2) : '';
}

/**
 * Reads the newest stored message of `deviceId` from the history API (live messages carry application properties
 * only) while the raw view is open; `isCurrent()` says the device is still the selected one.
 */
export async function refreshRaw(deviceId, isCurrent) {
  if (!$('raw-view').open || !deviceId) return;
  const { items } = await deviceHistory(deviceId, { limit: 1 });
  if (isCurrent()) showRaw(items[0]);
}
