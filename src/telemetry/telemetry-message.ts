/**
 * How a decoded body is represented in a {@link TelemetryMessage}:
 * - `json`: the body bytes were JSON; `body` is the parsed value (object, array, string, number, boolean or null);
 * - `text`: the bytes were text but not JSON; `body` is the decoded string;
 * - `base64`: the bytes were not text (or declared binary, `application/octet-stream`); `body` is their base64.
 */
export type BodyEncoding = 'json' | 'text' | 'base64';

/** An application property value as the SDK hands it over (AMQP types mapped to JS). */
export type PropertyValue = string | number | boolean | null;

/**
 * One device-to-cloud message as the gateway stores and serves it: the normalized form of an event read from the
 * IoT Hub built-in (Event Hub-compatible) endpoint.
 *
 * Times are ISO 8601 UTC strings with milliseconds and `Z` (`Date.prototype.toISOString()`), whatever the host's time
 * zone. Source of the fields: the IoT Hub message format
 * (https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-messages-construct) as surfaced by `@azure/event-hubs`.
 */
export interface TelemetryMessage {
  /** Device ID, from the `iothub-connection-device-id` annotation (case-sensitive, never empty). */
  deviceId: string;
  /** Module ID, from `iothub-connection-module-id`; `null` for a device (not module) message. */
  moduleId: string | null;
  /** Enqueued time (`x-opt-enqueued-time`), ISO 8601 UTC. */
  enqueuedTime: string;
  /** Partition ID the event was read from. */
  partitionId: string;
  /** Sequence number within the partition. */
  sequenceNumber: number;
  /** Offset within the partition (a string, as the service sends it). */
  offset: string;
  /** `content_type` as the device set it, or `null`. */
  contentType: string | null;
  /** `content_encoding` as the device set it, or `null`. */
  contentEncoding: string | null;
  /** `message_id` as the device set it, or `null`. */
  messageId: string | null;
  /** Application properties with their AMQP types kept (numbers stay numbers, booleans stay booleans). */
  properties: Record<string, PropertyValue>;
  /** The device's `iothub-creation-time-utc`, ISO 8601 UTC, or `null` when absent or not a valid time. */
  creationTime: string | null;
  /** The decoded body; see {@link BodyEncoding}. */
  body: unknown;
  /** How {@link TelemetryMessage.body} is represented. */
  bodyEncoding: BodyEncoding;
  /**
   * The decoding steps applied to the body bytes before {@link TelemetryMessage.bodyEncoding}, in order: `gzip` or
   * `deflate` (inflated), then `cbor` or `protobuf` (decoded to JSON), e.g. `["gzip", "cbor"]`. Absent when none was.
   */
  bodyFormat?: string[];
}

/** Positions `<partitionId>:<sequenceNumber>`, defined once in the dependency-free `public/protocol.js`. */
export { parsePosition, positionOf } from '../../public/protocol.js';
