import type { ReceivedEventData } from '@azure/event-hubs';
import type { HubEvent } from '../schemas/live-messages.js';
import { decodeEventBody } from './event-body.js';
import { hubEventType, toHubEvent } from './hub-event.js';
import type { ProtoTypes } from './protobuf-body.js';
import { toIsoTime, toMessageId, toProperties, toPropertyValue } from './property-values.js';
import type { TelemetryMessage } from './telemetry-message.js';

/**
 * What one event read from the built-in endpoint is:
 * - `telemetry`: a device-to-cloud message, normalized; `decodeError` set when its body counts as a decode error
 *   (the message is still usable: the body is kept as text or base64);
 * - `hub-event`: a connection state, twin change or lifecycle event of a watched device (see {@link toHubEvent});
 *   kept apart from telemetry, never stored with it;
 * - `non-telemetry`: any other `iothub-message-source` than `Telemetry`, or a hub event of a device not watched;
 *   counted, not stored;
 * - `not-watched`: telemetry of a device nobody watches (only when an `isWatched` test is given): its body is not
 *   decoded, only the device ID and enqueued time are kept (for discovered devices and the dropped counter);
 * - `no-device-id`: no usable `iothub-connection-device-id`; counted and dropped, never stored under an empty ID.
 */
export type NormalizeResult =
  | { kind: 'telemetry'; message: TelemetryMessage; decodeError?: string }
  | { kind: 'hub-event'; event: HubEvent }
  | { kind: 'non-telemetry'; messageSource: string; deviceId: string | null }
  | { kind: 'not-watched'; deviceId: string; enqueuedTime: string }
  | { kind: 'no-device-id' };

type Bag = Record<string, unknown>;

/** How bodies are decoded (from the configuration; every field optional, defaults as in `decodeBody`). */
export interface NormalizeOptions {
  /** Largest inflated gzip/deflate body, in bytes (`MAX_INFLATED_BODY`, default 1 MiB). */
  maxInflatedBody?: number;
  /** The message types of `PROTO_FILE` (loaded at start), or `null`. */
  protoTypes?: ProtoTypes | null;
  /** The application property naming a Protobuf body's message type (`PROTO_TYPE_PROPERTY`, default `messageType`). */
  protoTypeProperty?: string;
}

/**
 * Turns an event read with `skipParsingBodyAsJson` into a {@link TelemetryMessage} (fields as in
 * the IoT Hub message format, https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-messages-construct, and the
 * annotations listed in src/emulator/EVENT-HUBS-AMQP.md, "The event message"). Pure, never throws.
 *
 * - device ID / module ID: system properties `iothub-connection-device-id` / `iothub-connection-module-id`
 *   (non-empty strings; a missing device ID → `no-device-id`, a missing module ID → `null`);
 * - `iothub-message-source` absent, empty or `Telemetry` (any case) → telemetry; `deviceConnectionStateEvents`,
 *   `twinChangeEvents`, `deviceLifecycleEvents` of a watched device (system property, else application property
 *   `deviceId`) → `hub-event`; anything else → `non-telemetry`;
 * - times are ISO 8601 UTC via `toISOString()`, independent of the host's zone: `enqueuedTime` from `enqueuedTimeUtc`
 *   (falling back to `iothub-enqueuedtime`, then the epoch, for an event that has neither);
 *   `creationTime` from the application, else system, property `iothub-creation-time-utc` when it is a valid
 *   ISO 8601 time, else `null`;
 * - content type: `event.contentType` (AMQP `content_type`); content encoding: system property `contentEncoding`
 *   (`content_encoding`). When the device left either unset but put it in the application properties
 *   (`contentType`/`content-type`/`content_type`, `contentEncoding`/`content-encoding`/`content_encoding`, any case),
 *   that value is used for decoding and recorded; the application property itself is kept as well;
 * - `messageId` a string (numbers in decimal, uuids canonical) or `null`; `properties` as {@link toProperties};
 * - body decoded by {@link decodeEventBody} with `options`; a `gzip`/`deflate` application content encoding is
 *   honoured even when the system property names a charset; `bodyFormat` set when a step (inflate, CBOR, Protobuf)
 *   was applied.
 *
 * @param partitionId the partition the event was read from (the SDK's `PartitionContext.partitionId`).
 * @param isWatched when given, telemetry of a device it rejects comes back as `not-watched`, without decoding.
 * @param options how bodies are decoded (inflate limit, Protobuf types).
 */
export function normalizeEvent(
  event: ReceivedEventData,
  partitionId: string,
  isWatched?: (deviceId: string) => boolean,
  options: NormalizeOptions = {},
): NormalizeResult {
  if (!isBag(event)) return { kind: 'no-device-id' };
  const system = isBag(event.systemProperties) ? event.systemProperties : {};
  const properties = isBag(event.properties) ? event.properties : {};
  const deviceId = nonEmptyString(system['iothub-connection-device-id']);

  const source = toPropertyValue(system['iothub-message-source']);
  if (source !== null && source !== '' && String(source).toLowerCase() !== 'telemetry') {
    const eventType = hubEventType(String(source));
    const subject = deviceId ?? nonEmptyString(properties.deviceId);
    if (eventType !== null && subject !== null && (!isWatched || isWatched(subject))) {
      return { kind: 'hub-event', event: toHubEvent(event, system, properties, eventType, subject, partitionId) };
    }
    return { kind: 'non-telemetry', messageSource: String(source), deviceId };
  }
  if (deviceId === null) return { kind: 'no-device-id' };
  const enqueuedTime =
    toIsoTime(event.enqueuedTimeUtc) ?? toIsoTime(system['iothub-enqueuedtime']) ?? new Date(0).toISOString();
  if (isWatched && !isWatched(deviceId)) return { kind: 'not-watched', deviceId, enqueuedTime };

  const applicationEncoding = fromApplication(properties, 'contentencoding');
  const contentType =
    nonEmptyString(event.contentType) ?? nonEmptyString(system.contentType) ?? fromApplication(properties, 'contenttype');
  const contentEncoding =
    nonEmptyString(system.contentEncoding) ?? nonEmptyString(system.content_encoding) ?? applicationEncoding;
  const protoType = properties[options.protoTypeProperty ?? 'messageType'];
  const decoded = decodeEventBody(event.body, contentType, contentEncoding, {
    maxInflatedBody: options.maxInflatedBody,
    applicationContentEncoding: applicationEncoding,
    protoTypes: options.protoTypes,
    protoType: typeof protoType === 'string' ? protoType : null,
  });
  const sequenceNumber = Number(event.sequenceNumber);

  const message: TelemetryMessage = {
    deviceId,
    moduleId: nonEmptyString(system['iothub-connection-module-id']),
    enqueuedTime,
    partitionId,
    sequenceNumber: Number.isFinite(sequenceNumber) ? sequenceNumber : -1,
    offset: typeof event.offset === 'string' || typeof event.offset === 'number' ? String(event.offset) : '',
    contentType,
    contentEncoding,
    messageId: toMessageId(event.messageId ?? system.messageId),
    properties: toProperties(properties),
    creationTime:
      toIsoTime(properties['iothub-creation-time-utc']) ?? toIsoTime(system['iothub-creation-time-utc']) ?? null,
    body: decoded.body,
    bodyEncoding: decoded.bodyEncoding,
  };
  if (decoded.bodyFormat) message.bodyFormat = decoded.bodyFormat;
  return decoded.error === undefined ? { kind: 'telemetry', message } : { kind: 'telemetry', message, decodeError: decoded.error };
}

function isBag(value: unknown): value is Bag {
  return value !== null && typeof value === 'object';
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** An application property by name, ignoring case, `-` and `_` (`content-encoding` = `contentEncoding`). */
function fromApplication(properties: Bag, squashedName: string): string | null {
  for (const key of Object.keys(properties)) {
    if (key.length >= squashedName.length && key.toLowerCase().replace(/[-_]/g, '') === squashedName) return nonEmptyString(properties[key]);
  }
  return null;
}
