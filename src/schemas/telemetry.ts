import { Type, type Static } from '@sinclair/typebox';
import { DeviceIdSchema } from './device-id.js';

/** `GET /api/telemetry` querystring: `deviceId` optional (default device). */
export const LatestQuery = Type.Object({ deviceId: Type.Optional(Type.Unsafe<string>(DeviceIdSchema)) });
export type LatestQuery = Static<typeof LatestQuery>;

/**
 * `GET /api/devices/{deviceId}/telemetry` querystring: `since`/`until` ISO 8601 enqueued times (inclusive),
 * `limit` 1…HISTORY_LIMIT (default 100; the upper bound is checked in the handler).
 */
export const HistoryQuery = Type.Object({
  since: Type.Optional(Type.String({ minLength: 1 })),
  until: Type.Optional(Type.String({ minLength: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Only the messages of this module of the device. */
  moduleId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});
export type HistoryQuery = Static<typeof HistoryQuery>;
