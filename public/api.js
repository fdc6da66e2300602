// REST calls to the gateway with the API key kept in sessionStorage (asked once per browser session).

const KEY_STORAGE = 'iothubGateway.apiKey';

/** Raised when the gateway answers 401: the key is missing or wrong. */
export class UnauthorizedError extends Error {}

export function getApiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function clearApiKey() {
  sessionStorage.removeItem(KEY_STORAGE);
}

/** Calls the REST API; resolves to the JSON answer, rejects with UnauthorizedError or an Error with its message. */
export async function api(method, path, body) {
  const headers = {};
  const key = getApiKey();
  if (key) headers['X-API-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) throw new UnauthorizedError('API key missing or wrong');
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new Error(data?.message ?? `HTTP ${response.status}`);
  return data;
}

export const listDevices = () => api('GET', '/api/devices');
export const listDiscovered = () => api('GET', '/api/hub/devices');
export const registerDevice = (deviceId) => api('POST', '/api/register-device', { deviceId });
export const unregisterDevice = (deviceId) => api('DELETE', `/api/unregister-device/${encodeURIComponent(deviceId)}`);
export const deviceHistory = (deviceId, limit) =>
  api('GET', `/api/devices/${encodeURIComponent(deviceId)}/telemetry?limit=${limit}`);
