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
import { parseTimeRange } from './time-range.js';

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
      const range = parseTimeRange(request.query);
      if ('error' in range) return sendError(reply, 400, range.error);
      const { since, until } = range;
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
