import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/swagger';
import { sendError } from '../../plugins/error-reply.js';
import { DeviceIdParams } from '../../schemas/devices.js';
import { ErrorSchema } from '../../schemas/error.js';
import { HubEventSchema, type HubEventType } from '../../schemas/live-messages.js';
import { parseTime } from './time-range.js';

const HUB_EVENT_TYPES: HubEventType[] = ['deviceConnectionStateEvents', 'twinChangeEvents', 'deviceLifecycleEvents'];

const HubEventsQuery = Type.Object({
  /** One enum (not a union of literals): a bad value gets one readable error. */
  type: Type.Optional(Type.Unsafe<HubEventType>({ type: 'string', enum: HUB_EVENT_TYPES })),
  /** Inclusive ISO 8601 enqueued time. */
  since: Type.Optional(Type.String({ minLength: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
});

/** `GET /api/devices/{deviceId}/hub-events` answer: the kept events, newest first. */
export const HubEventsReply = Type.Object({ deviceId: Type.String(), items: Type.Array(HubEventSchema) });

/**
 * `GET /api/devices/{deviceId}/hub-events?type=&since=&limit=` → `{ deviceId, items }`: the device's kept hub events
 * (connection state, twin change, lifecycle; at most `HUB_EVENTS_LIMIT`, in memory), newest first; `type` one of
 * the three routing sources, `since` an inclusive ISO 8601 enqueued time, `limit` 1…HUB_EVENTS_LIMIT (default 100).
 * 400 on a bad value, 404 for an unregistered device. Activity.
 */
export function hubEventsRoutes(app: FastifyInstance): Promise<void> {
  const { registry, config } = app;
  app.get<{ Params: DeviceIdParams; Querystring: Static<typeof HubEventsQuery> }>(
    '/api/devices/:deviceId/hub-events',
    {
      schema: {
        tags: ['devices'],
        summary: "A device's IoT Hub events: connection state, twin changes, lifecycle (newest first)",
        params: DeviceIdParams,
        querystring: HubEventsQuery,
        response: { 200: HubEventsReply, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { deviceId } = request.params;
      const since = parseTime(request.query.since);
      if (since === null) return sendError(reply, 400, 'since must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z');
      const limit = request.query.limit ?? Math.min(100, config.hubEventsLimit);
      if (limit > config.hubEventsLimit) return sendError(reply, 400, `limit must be at most ${config.hubEventsLimit} (HUB_EVENTS_LIMIT)`);
      if (!registry.touch(deviceId)) return sendError(reply, 404, `device ${deviceId} is not registered`);
      const type = request.query.type;
      const items = registry.hubEvents(deviceId, { limit, ...(type ? { type } : {}), ...(since ? { since } : {}) }) ?? [];
      return Promise.resolve({ deviceId, items });
    },
  );
  return Promise.resolve();
}
