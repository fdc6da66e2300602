import type { HubEvent, HubEventType } from '../schemas/live-messages.js';
import { decodeEventBody } from './event-body.js';
import { toIsoTime, toProperties } from './property-values.js';

/** The `iothub-message-source` values kept as hub events (the routing sources of IoT Hub's non-telemetry events). */
const HUB_EVENT_TYPES: ReadonlySet<string> = new Set<HubEventType>(['deviceConnectionStateEvents', 'twinChangeEvents', 'deviceLifecycleEvents']);

/** The message source as a {@link HubEventType}, or `null` for one the gateway does not keep. */
export function hubEventType(messageSource: string): HubEventType | null {
  return HUB_EVENT_TYPES.has(messageSource) ? (messageSource as HubEventType) : null;
}

type Bag = Record<string, unknown>;

/**
 * The {@link HubEvent} of a non-telemetry event (shapes: https://learn.microsoft.com/azure/iot-hub/iot-hub-non-telemetry-event-schema):
 * `opType` and the other application properties (`hubName`, `deviceId`, `moduleId`, `iothub-message-schema`,
 * `operationTimestamp`) as sent; the body decoded as telemetry bodies are (JSON, `utf-8`); `position`
 * `<partitionId>:<sequenceNumber>`, `enqueuedTime` ISO 8601 UTC. Pure, never throws.
 */
export function toHubEvent(
  event: { body?: unknown; contentType?: unknown; enqueuedTimeUtc?: unknown; sequenceNumber?: unknown },
  system: Bag,
  properties: Bag,
  eventType: HubEventType,
  deviceId: string,
  partitionId: string,
): HubEvent {
  const contentType = typeof event.contentType === 'string' && event.contentType !== '' ? event.contentType : 'application/json';
  const declared = system.contentEncoding ?? system.content_encoding;
  const encoding = typeof declared === 'string' && declared !== '' ? declared : null;
  const moduleId = system['iothub-connection-module-id'] ?? properties.moduleId;
  const sequenceNumber = Number(event.sequenceNumber);
  return {
    deviceId,
    moduleId: typeof moduleId === 'string' && moduleId !== '' ? moduleId : null,
    eventType,
    opType: typeof properties.opType === 'string' ? properties.opType : '',
    position: `${partitionId}:${Number.isFinite(sequenceNumber) ? sequenceNumber : -1}`,
    enqueuedTime: toIsoTime(event.enqueuedTimeUtc) ?? toIsoTime(system['iothub-enqueuedtime']) ?? new Date(0).toISOString(),
    properties: toProperties(properties),
    body: decodeEventBody(event.body, contentType, encoding).body,
  };
}
