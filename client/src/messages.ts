// The wire types, derived from the gateway's TypeBox schemas by type-only imports: they compile away, so the client
// keeps no runtime dependency while its types follow every schema change (a change that breaks it fails `tsc`).
import type { AggregateFn, ServerMessage, ServerMessageOf } from '../../src/schemas/live-messages.js';

export type { AggregateFn, ServerMessage, ServerMessageOf };
/** A `telemetry` message: `deviceId`, `position`, `enqueuedTime`, `body`, `bodyEncoding`, `properties`. */
export type TelemetryMessage = ServerMessageOf<'telemetry'>;
/** The `type` of every server → client message. */
export type ServerMessageType = ServerMessage['type'];

/** What a `subscribe` asks besides its devices (passed through to the gateway as they are). */
export interface SubscribeOptions {
  /** Resume after this position (`<partitionId>:<sequenceNumber>`); later reconnects resume from the last one received. */
  from?: string;
  /** Only these body fields: `body` becomes `{ "<path>": value }`. */
  fields?: string[];
  /** Also stream the devices' hub events as `hubEvent` messages. */
  hubEvents?: boolean;
  /** Live aggregates: one `aggregate` message per closed bucket. */
  aggregate?: { interval: string; fields: string[]; fn: AggregateFn[] };
  /** Every registered device whose ID matches this glob (`*`, `?`). */
  deviceIdPattern?: string;
  /** Only messages of this module. */
  moduleId?: string;
}
