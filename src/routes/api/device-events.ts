import type { FastifyPluginCallback } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { openSseSession } from '../../live/sse-session.js';
import { sendError } from '../../plugins/error-reply.js';
import { DeviceIdParams } from '../../schemas/devices.js';

const Query = Type.Object({
  /** Resume position for clients that cannot set `Last-Event-ID` (the header wins when both are given). */
  lastEventId: Type.Optional(Type.String({ maxLength: 64 })),
  api_key: Type.Optional(Type.String()),
  /** Only the telemetry of this module of the device. */
  moduleId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

/**
 * `GET /api/devices/{deviceId}/events`: a device's live telemetry as Server-Sent Events (WHATWG HTML "Server-sent events"). The REST auth hook guards it (key in `X-API-Key` or `api_key`); errors (401, 400, 404)
 * are JSON `{ error, message }` sent before the stream starts. `Last-Event-ID` (or `?lastEventId=`) resumes after
 * that position. At shutdown every stream is ended so the server can close (EventSource then reconnects).
 */
const deviceEventsRoute: FastifyPluginCallback = (app, _options, done) => {
  const open = app.live.sseStreams;

  app.get<{ Params: DeviceIdParams; Querystring: Static<typeof Query> }>(
    '/api/devices/:deviceId/events',
    { schema: { params: DeviceIdParams, querystring: Query } },
    (request, reply) => {
      const { deviceId } = request.params;
      if (!app.registry.get(deviceId)) {
        return sendError(reply, 404, `device ${deviceId} is not registered`);
      }
      const header = request.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? request.query.lastEventId;
      const session = openSseSession(app.live.services, deviceId, lastEventId?.trim() || undefined, { ...(request.query.moduleId === undefined ? {} : { moduleId: request.query.moduleId }) });
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
