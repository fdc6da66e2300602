import type { FastifyPluginCallback } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { openSseSession } from '../../live/sse-session.js';
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
});

/** Documents the resume header (any value is accepted here; the session decides what it resumes after). */
const Headers = Type.Object({
  'last-event-id': Type.Optional(Type.String({ description: 'Resume right after this position `<partitionId>:<sequenceNumber>` (EventSource sends it when it reconnects).' })),
});

/**
 * `GET /api/devices/{deviceId}/events`: a device's live telemetry as Server-Sent Events (WHATWG HTML "Server-sent events"). The REST auth hook guards it (key in `X-API-Key` or `api_key`); errors (401, 400, 404)
 * are JSON `{ error, message }` sent before the stream starts. `Last-Event-ID` (or `?lastEventId=`) resumes after
 * that position; `fields=` reduces each `telemetry` body to those fields (400 on a bad path). At shutdown every stream is ended so the server can close (EventSource then reconnects).
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
      const header = request.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? request.query.lastEventId;
      const session = openSseSession(app.live.services, deviceId, lastEventId?.trim() || undefined, selection);
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
