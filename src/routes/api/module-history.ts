import type { HistoryQuery, TelemetryStore } from '../../store/telemetry-store.js';
import { moduleFilter } from '../../telemetry/module-filter.js';
import { positionOf, type TelemetryMessage } from '../../telemetry/telemetry-message.js';

/** Pages read at most for one module-filtered history query. */
export const MODULE_HISTORY_MAX_PAGES = 10;
/** Messages a page holds at least (more when `limit` is larger): pages overlap at their boundary time. */
const MIN_PAGE = 100;

/**
 * A device's history of one module (newest first, at most `query.limit`): the store's history is read page by page
 * (pages of at least 100; each page's oldest enqueued time is the next one's `until`, messages seen already skipped) and filtered, for
 * at most {@link MODULE_HISTORY_MAX_PAGES} pages, so a rare module in a busy device's history may come back short.
 */
export async function moduleHistory(store: Pick<TelemetryStore, 'history'>, deviceId: string, query: HistoryQuery, moduleId: string): Promise<TelemetryMessage[]> {
  const wanted = moduleFilter(moduleId);
  const items: TelemetryMessage[] = [];
  const seen = new Set<string>();
  const pageSize = Math.max(query.limit, MIN_PAGE);
  let until = query.until;
  for (let page = 0; page < MODULE_HISTORY_MAX_PAGES && items.length < query.limit; page++) {
    const batch = await store.history(deviceId, { ...query, limit: pageSize, ...(until === undefined ? {} : { until }) });
    let fresh = 0;
    for (const message of batch) {
      const position = positionOf(message);
      if (seen.has(position)) continue;
      seen.add(position);
      fresh += 1;
      if (wanted(message) && items.length < query.limit) items.push(message);
    }
    const oldest = batch.at(-1);
    if (fresh === 0 || batch.length < pageSize || !oldest) break;
    until = oldest.enqueuedTime;
  }
  return items;
}
