import type { FastifyInstance } from 'fastify';
import { sendError } from '../../plugins/error-reply.js';
import { DeviceIdParams } from '../../schemas/devices.js';
import { errorResponses } from '../../schemas/openapi.js';
import { HistoryQuery, HistoryReply, LatestQuery, LatestReply } from '../../schemas/telemetry.js';
import { withSelectedBody } from '../../telemetry/field-selection.js';
import { parseFieldsQuery } from './fields-query.js';
import { exportFileName, historyFormat, sendHistoryExport } from './history-export.js';
import { latestTelemetryJson } from './latest-telemetry-reply.js';
import { moduleHistory } from './module-history.js';

const HistoryResponses = {
  200: {
    description: 'The messages: JSON `{ deviceId, items }` newest first, or a CSV / NDJSON attachment oldest first',
    content: {
      'application/json': { schema: HistoryReply },
      'text/csv': { schema: { type: 'string' } },
      'application/x-ndjson': { schema: { type: 'string' } },
    },
  },
  ...errorResponses(400, 401, 404),
};

/**
 * Parses an ISO 8601 query time; `undefined` when absent, `null` when invalid. The calendar date must exist:
 * `Date.parse` rolls `2024-02-30` over to March 1 instead of refusing it.
 */
export function parseTime(text: string | undefined): string | undefined | null {
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
 * omitted, 400 when neither, 404 when not registered; `fields=` reduces the body to those fields. Activity.
 * `GET /api/devices/{deviceId}/telemetry?since=&until=&limit=` → `{ deviceId, items }` newest first, full normalized
 * messages; `since`/`until` are inclusive ISO 8601 enqueued times (400 when `since` is later than `until` or a date
 * does not exist), `limit` 1…HISTORY_LIMIT (default 100). `fields=` reduces each body to those fields (400 on a bad
 * path). `format=csv|ndjson` (or `Accept: text/csv` / `application/x-ndjson`) streams an attachment instead, oldest
 * first, `limit` defaulting to HISTORY_LIMIT (see `sendHistoryExport`). Activity.
 */
export function telemetryRoutes(app: FastifyInstance): Promise<void> {
  const { registry, store, config } = app;
  const { streams } = app.ingest;
  app.get<{ Querystring: LatestQuery }>(
    '/api/telemetry',
    {
      schema: {
        tags: ['telemetry'], summary: "A device's latest message (the default device without deviceId)", querystring: LatestQuery,
        response: { 200: LatestReply, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const selection = parseFieldsQuery(request.query.fields);
      if (selection instanceof Error) return sendError(reply, 400, selection.message);
      const deviceId = request.query.deviceId ?? config.defaultDeviceId;
      if (!deviceId) return sendError(reply, 400, 'missing deviceId query parameter (and no DEVICE_ID default is configured)');
      const state = registry.touch(deviceId);
      if (!state) return sendError(reply, 404, `device ${deviceId} is not registered`);
      void reply.type('application/json; charset=utf-8');
      const latest = streams.latest(deviceId) ?? (await store.latest(deviceId));
      return latestTelemetryJson(deviceId, latest, state.isConnected, selection);
    },
  );
  app.get<{ Params: DeviceIdParams; Querystring: HistoryQuery }>(
    '/api/devices/:deviceId/telemetry',
    {
      schema: {
        tags: ['telemetry'], summary: "A device's stored messages: JSON newest first, or a CSV / NDJSON export oldest first",
        params: DeviceIdParams, querystring: HistoryQuery, response: HistoryResponses,
      },
    },
    async (request, reply) => {
      const { deviceId } = request.params;
      const since = parseTime(request.query.since);
      const until = parseTime(request.query.until);
      if (since === null) return sendError(reply, 400, 'since must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z');
      if (until === null) return sendError(reply, 400, 'until must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z');
      if (since !== undefined && until !== undefined && since > until) {
        return sendError(reply, 400, `since (${since}) must not be later than until (${until})`);
      }
      const selection = parseFieldsQuery(request.query.fields);
      if (selection instanceof Error) return sendError(reply, 400, selection.message);
      const format = historyFormat(request.query.format, request.headers.accept);
      const limit = request.query.limit ?? (format === 'json' ? Math.min(100, config.historyLimit) : config.historyLimit);
      if (limit > config.historyLimit) return sendError(reply, 400, `limit must be at most ${config.historyLimit} (HISTORY_LIMIT)`);
      if (!registry.touch(deviceId)) return sendError(reply, 404, `device ${deviceId} is not registered`);
      const query = { limit, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
      const { moduleId } = request.query;
      const items = moduleId === undefined ? await store.history(deviceId, query) : await moduleHistory(store, deviceId, query, moduleId);
      if (format !== 'json') {
        const name = exportFileName(deviceId, since, until, format);
        return sendHistoryExport(reply, items.reverse(), format, selection, name);
      }
      return { deviceId, items: selection ? items.map((item) => withSelectedBody(item, selection)) : items };
    },
  );
  return Promise.resolve();
}
