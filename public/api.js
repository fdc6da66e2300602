// REST calls to the gateway with the API key kept in sessionStorage (asked once per browser session).

const KEY_STORAGE = 'iothubGateway.apiKey';
/** Every REST call gives up after this long (ms). */
const TIMEOUT_MS = 10_000;

/** Raised when the gateway answers 401: the key is missing or wrong. */
export class UnauthorizedError extends Error {}

/** Raised for a 4xx/5xx answer; `status` is the HTTP status, `message` the API's own message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const getApiKey = () => sessionStorage.getItem(KEY_STORAGE);
export const setApiKey = (key) => sessionStorage.setItem(KEY_STORAGE, key);
export const clearApiKey = () => sessionStorage.removeItem(KEY_STORAGE);

/** Calls the REST API; resolves to the JSON answer, rejects with UnauthorizedError, ApiError or a network Error. */
export async function api(method, path, body) {
  const headers = {};
  const key = getApiKey();
  if (key) headers['X-API-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (response.status === 401) throw new UnauthorizedError('API key missing or wrong');
  const data = await response.json().catch(() => null);
  if (!response.ok && path !== '/readyz') throw new ApiError(response.status, data?.message ?? `HTTP ${response.status}`);
  return data;
}

export const listDevices = () => api('GET', '/api/devices');
export const listDiscovered = () => api('GET', '/api/hub/devices');
/** `/readyz`: `{ status, hubState, reason }`, 503 included (it is the answer, not a failure). */
export const readiness = () => api('GET', '/readyz');
export const registerDevice = (deviceId) => api('POST', '/api/register-device', { deviceId });
export const unregisterDevice = (deviceId) => api('DELETE', `/api/unregister-device/${encodeURIComponent(deviceId)}`);
export const deviceHistory = (deviceId, query) =>
  api('GET', `/api/devices/${encodeURIComponent(deviceId)}/telemetry?${new URLSearchParams(query)}`);
