import type { FastifyPluginCallback } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AggregateLimitError } from '../../live/live-aggregates.js';
import { openSseSession } from '../../live/sse-session.js';
import { AggregateSpecError, aggregateSpecFromQuery, type AggregateSpec } from '../../telemetry/aggregate-spec.js';
import { FieldPathError } from '../../telemetry/field-path.js';
import { sendError } from '../../plugins/error-reply.js';
import { FieldsQueryParam } from '../../schemas/telemetry.js';
import { parseFieldsQuery } from './fields-query.js';
import { DeviceIdParams } from '../../schemas/devices.js';
import { errorResponses } from '../../schemas/openapi.js';

const Query = Type.Object({
  /** Resume position for clients that cannot set `Last-Event-ID` (the header wins when both are given). */
  lastEventId: Type.Optional(Type.String({ maxLength: 64 })),
  api_key: Type.Optional(Type.String()),
  fields: Type.Optional(FieldsQueryParam),
  /** With `fields` (and `fn`, default `avg`): `aggregate` events per closed bucket instead of `telemetry`. */
  interval: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  fn: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** Only the telemetry of this module of the device. */
  moduleId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

/** Documents the resume header (any value is accepted here; the session decides what it resumes after). */
const Headers = Type.Object({
  'last-event-id': Type.Optional(Type.String({ description: 'Resume right after this position `<partitionId>:<sequenceNumber>` (EventSource sends it when it reconnects).' })),
});

/**
 * `GET /api/devices/{deviceId}/events`: a device's live telemetry as Server-Sent Events (WHATWG HTML "Server-sent events"). The REST auth hook guards it (key in `X-API-Key` or `api_key`); errors (401, 400, 404)
 * are JSON `{ error, message }` sent before the stream starts. `Last-Event-ID` (or `?lastEventId=`) resumes after
 * that position; `fields=` reduces each `telemetry` body to those fields (400 on a bad path). With `interval` (and `fields`, `fn` as the
 * aggregate route), `aggregate` events per closed bucket instead. At shutdown every stream is ended so the server can close (EventSource then reconnects).
 */
const deviceEventsRoute: FastifyPluginCallback = (app, _options, done) => {
  const open = app.live.sseStreams;

  app.get<{ Params: DeviceIdParams; Querystring: Static<typeof Query> }>(
    '/api/devices/:deviceId/events',
    {
      schema: {
        tags: ['live'], summary: "A device's live telemetry as Server-Sent Events (protocol: /docs/asyncapi.json)",
        params: DeviceIdParams, querystring: Query, headers: Headers,
        response: {
          200: { description: 'text/event-stream: telemetry (id = position), status and reset events', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    (request, reply) => {
      const { deviceId } = request.params;
      const selection = parseFieldsQuery(request.query.fields);
      if (selection instanceof Error) return sendError(reply, 400, selection.message);
      if (!app.registry.get(deviceId)) {
        return sendError(reply, 404, `device ${deviceId} is not registered`);
      }
      let aggregate: AggregateSpec | undefined;
      const { interval, fields, fn } = request.query;
      try {
        if (interval !== undefined || fn !== undefined) {
          if (interval === undefined || fields === undefined) return sendError(reply, 400, 'an aggregate needs both interval and fields');
          aggregate = aggregateSpecFromQuery({ interval, fields, fn });
        }
      } catch (error) {
        if (error instanceof AggregateSpecError || error instanceof FieldPathError) return sendError(reply, 400, error.message);
        throw error;
      }
      const header = request.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? request.query.lastEventId;
      let session: ReturnType<typeof openSseSession>;
      try {
        session = openSseSession(app.live.services, deviceId, lastEventId?.trim() || undefined, aggregate ? undefined : selection, aggregate, request.query.moduleId);
      } catch (error) {
        if (error instanceof AggregateLimitError) return sendError(reply, 400, error.message);
        throw error;
      }
      const end = (): void => {
        open.delete(end);
        session.end();
      };
      open.add(end);
      reply.raw.on('close', end);
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(session.stream);
    },
  );
  done();
};

export default deviceEventsRoute;
