import { Type } from '@sinclair/typebox';
import { ServerMessageSchemas } from './live-messages.js';
import { TelemetryMessageSchema } from './telemetry.js';

/**
 * The events of `GET /api/devices/{deviceId}/events` by SSE event name, each the schema of its `data` JSON: the
 * stored message (`id:` its position), and the WebSocket's `status` / `reset` / `aggregate` messages without `type`.
 */
export const SseEventSchemas = {
  telemetry: TelemetryMessageSchema,
  status: Type.Omit(ServerMessageSchemas.status, ['type']),
  reset: Type.Omit(ServerMessageSchemas.reset, ['type']),
  /** A closed bucket of the live aggregate asked with `interval`/`fields`/`fn` (`id:` its last message's position). */
  aggregate: Type.Omit(ServerMessageSchemas.aggregate, ['type']),
};
