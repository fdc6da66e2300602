import type { FastifyInstance } from 'fastify';
import { sendError } from '../../plugins/error-reply.js';
import { DeviceIdParams } from '../../schemas/devices.js';
import { HistoryQuery, LatestQuery } from '../../schemas/telemetry.js';
import { latestTelemetryJson } from './latest-telemetry-reply.js';
import { moduleHistory } from './module-history.js';

/**
 * Parses an ISO 8601 query time; `undefined` when absent, `null` when invalid. The calendar date must exist:
 * `Date.parse` rolls `2024-02-30` over to March 1 instead of refusing it.
 */
function parseTime(text: string | undefined): string | undefined | null {
  if (text === undefined) return undefined;
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const ms = Date.parse(text);
  if (!date || Number.isNaN(ms)) return null;
  const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  return new Date(ms).toISOString();
}

/**
 * `GET /api/telemetry?deviceId=` → the latest message (see `latestTelemetryReply`, serialized once per message); the default device when
 * omitted, 400 when neither, 404 when not registered. Activity.
 * `GET /api/devices/{deviceId}/telemetry?since=&until=&limit=` → `{ deviceId, items }` newest first, full normalized
 * messages; `since`/`until` are inclusive ISO 8601 enqueued times (400 when `since` is later than `until` or a date
 * does not exist), `limit` 1…HISTORY_LIMIT (default 100), `moduleId` only that module's messages. Activity.
 */
export function telemetryRoutes(app: FastifyInstance): Promise<void> {
  const { registry, store, config } = app;
  const { streams } = app.ingest;
  app.get<{ Querystring: LatestQuery }>(
    '/api/telemetry',
    { schema: { querystring: LatestQuery } },
    async (request, reply) => {
      const deviceId = request.query.deviceId ?? config.defaultDeviceId;
      if (!deviceId) return sendError(reply, 400, 'missing deviceId query parameter (and no DEVICE_ID default is configured)');
      const state = registry.touch(deviceId);
      if (!state) return sendError(reply, 404, `device ${deviceId} is not registered`);
      void reply.type('application/json; charset=utf-8');
      const latest = streams.latest(deviceId) ?? (await store.latest(deviceId));
      return latestTelemetryJson(deviceId, latest, state.isConnected);
    },
  );
  app.get<{ Params: DeviceIdParams; Querystring: HistoryQuery }>(
    '/api/devices/:deviceId/telemetry',
    { schema: { params: DeviceIdParams, querystring: HistoryQuery } },
    async (request, reply) => {
      const { deviceId } = request.params;
      const since = parseTime(request.query.since);
      const until = parseTime(request.query.until);
      if (since === null) return sendError(reply, 400, 'since must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z');
      if (until === null) return sendError(reply, 400, 'until must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z');
      if (since !== undefined && until !== undefined && since > until) {
        return sendError(reply, 400, `since (${since}) must not be later than until (${until})`);
      }
      const limit = request.query.limit ?? Math.min(100, config.historyLimit);
      if (limit > config.historyLimit) return sendError(reply, 400, `limit must be at most ${config.historyLimit} (HISTORY_LIMIT)`);
      if (!registry.touch(deviceId)) return sendError(reply, 404, `device ${deviceId} is not registered`);
      const query = { limit, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
      const { moduleId } = request.query;
      const items = moduleId === undefined ? await store.history(deviceId, query) : await moduleHistory(store, deviceId, query, moduleId);
      return { deviceId, items };
    },
  );
  return Promise.resolve();
}
