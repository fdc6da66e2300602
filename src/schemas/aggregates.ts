import { Type, type Static } from '@sinclair/typebox';
import { AggregateBucketSchema } from './live-messages.js';

/**
 * `GET /api/devices/{deviceId}/telemetry/aggregate` querystring: `since`/`until` inclusive ISO 8601 enqueued times,
 * `interval` a fixed-length ISO 8601 duration (`PT1M`) or `10s`/`1m`/`1h`, `fields` a field selection (numbers
 * only), `fn` a comma list of min,max,avg,sum,count,first,last (default `avg`).
 */
export const AggregateQuery = Type.Object({
  since: Type.Optional(Type.String({ minLength: 1 })),
  until: Type.Optional(Type.String({ minLength: 1 })),
  interval: Type.String({ minLength: 1, maxLength: 32 }),
  fields: Type.String({ minLength: 1, maxLength: 4096 }),
  fn: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type AggregateQuery = Static<typeof AggregateQuery>;

/** The aggregate answer: the canonical interval and the non-empty buckets, oldest first. */
export const AggregateReply = Type.Object({
  deviceId: Type.String(),
  interval: Type.String(),
  items: Type.Array(AggregateBucketSchema),
});
export type AggregateReply = Static<typeof AggregateReply>;
