// Reads a device's whole held history (up to HISTORY_LIMIT messages, its default 1000) in pages, newest first.
import { ApiError, deviceHistory } from './api.js';
import { positionOf } from './protocol.js';

/** The default HISTORY_LIMIT: one request reads everything a default gateway holds. */
const FIRST_PAGE = 1000;
/** The most this page keeps of one device, whatever the gateway holds. */
export const MAX_HELD = 10_000;

/**
 * Every held message of `deviceId`, oldest first, at most {@link MAX_HELD}. Asks for 1000 at once; a gateway with a
 * smaller HISTORY_LIMIT refuses that (400), so it then pages with the API's default size. Further pages go back with
 * `until` (inclusive: the boundary message is deduplicated by position) while pages come back full.
 * @throws UnauthorizedError, ApiError or a network error from the API.
 */
export async function loadHistory(deviceId, isCurrent) {
  let limit = FIRST_PAGE;
  let page;
  try {
    page = (await deviceHistory(deviceId, { limit })).items;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    limit = undefined;
    page = (await deviceHistory(deviceId, {})).items;
  }
  const size = limit ?? page.length;
  const seen = new Set(page.map(positionOf));
  const newestFirst = [...page];
  while (page.length >= size && size > 0 && newestFirst.length < MAX_HELD && isCurrent()) {
    const until = newestFirst[newestFirst.length - 1].enqueuedTime;
    page = (await deviceHistory(deviceId, limit ? { limit, until } : { until })).items;
    const fresh = page.filter((item) => !seen.has(positionOf(item)));
    if (fresh.length === 0) break;
    for (const item of fresh) seen.add(positionOf(item));
    newestFirst.push(...fresh);
  }
  return newestFirst.slice(0, MAX_HELD).reverse().map((item) => ({ ...item, position: positionOf(item) }));
}
