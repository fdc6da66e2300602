import type { FastifyInstance } from 'fastify';
import { sendError } from '../../plugins/error-reply.js';
import { AggregateQuery, AggregateReply } from '../../schemas/aggregates.js';
import { DeviceIdParams } from '../../schemas/devices.js';
import { ErrorSchema } from '../../schemas/error.js';
import { aggregateSeries } from '../../telemetry/aggregate-buckets.js';
import { AggregateSpecError, aggregateSpecFromQuery, type AggregateSpec } from '../../telemetry/aggregate-spec.js';
import { FieldPathError } from '../../telemetry/field-path.js';
import { parseTimeRange } from './time-range.js';

/** At most this many buckets in one aggregate request. */
export const MAX_AGGREGATE_BUCKETS = 10_000;

/** The route's schema (OpenAPI: tags, summary, every status). */
const schema = {
  tags: ['telemetry'],
  summary: 'Aggregates of a device\'s stored telemetry per time bucket',
  params: DeviceIdParams,
  querystring: AggregateQuery,
  response: { 200: AggregateReply, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
};

/**
 * `GET /api/devices/{deviceId}/telemetry/aggregate?since=&until=&interval=&fields=&fn=` → `{ deviceId, interval, items }`:
 * the device's stored history within the times (the newest HISTORY_LIMIT messages of it) in buckets aligned to the
 * interval from the epoch (UTC), empty ones omitted, oldest first. 400 for a bad interval, fn, fields or time, or a range
 * of more than {@link MAX_AGGREGATE_BUCKETS} intervals (a missing bound is the oldest/newest message's time); 404 when not
 * registered. Activity.
 */
export function telemetryAggregateRoute(app: FastifyInstance): Promise<void> {
  const { registry, store, config } = app;
  app.get<{ Params: DeviceIdParams; Querystring: AggregateQuery }>(
    '/api/devices/:deviceId/telemetry/aggregate',
    { schema },
    async (request, reply) => {
      const { deviceId } = request.params;
      let spec: AggregateSpec;
      try {
        spec = aggregateSpecFromQuery(request.query);
      } catch (error) {
        if (error instanceof AggregateSpecError || error instanceof FieldPathError) return sendError(reply, 400, error.message);
        throw error;
      }
      const range = parseTimeRange(request.query);
      if ('error' in range) return sendError(reply, 400, range.error);
      const { since, until } = range;
      const tooMany = (fromMs: number, toMs: number): boolean => (toMs - fromMs) / spec.intervalMs > MAX_AGGREGATE_BUCKETS;
      const refuse = (): ReturnType<typeof sendError> =>
        sendError(reply, 400, `at most ${MAX_AGGREGATE_BUCKETS} buckets per request: narrow since/until or widen the interval`);
      if (since !== undefined && until !== undefined && tooMany(Date.parse(since), Date.parse(until))) return refuse();
      if (!registry.touch(deviceId)) return sendError(reply, 404, `device ${deviceId} is not registered`);
      const newestFirst = await store.history(deviceId, {
        limit: config.historyLimit, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}),
      });
      const series = newestFirst.reverse().map((m) => ({ timeMs: Date.parse(m.enqueuedTime), body: m.body }));
      if (series.length > 0) {
        const fromMs = since !== undefined ? Date.parse(since) : (series[0]?.timeMs ?? 0);
        const toMs = until !== undefined ? Date.parse(until) : (series.at(-1)?.timeMs ?? 0);
        if (tooMany(fromMs, toMs)) return refuse();
      }
      return { deviceId, interval: spec.interval, items: aggregateSeries(series, spec) };
    },
  );
  return Promise.resolve();
}
