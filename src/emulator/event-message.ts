import { message, types } from './amqp/rhea.js';
import type { LogPosition } from './partition-log.js';
import type { EmulatorPropertyValue, SendOptions } from './emulator-types.js';

/** What a device (or the control API) sent, before it is enqueued: the send options with the body and device ID. */
export interface DeviceMessage extends Omit<SendOptions, 'messageSource'> {
  deviceId: string;
  messageSource: string;
  body: Buffer;
}

/** The auth method IoT Hub reports for a device (or module) authenticated with a SAS token. */
const AUTH_METHOD = JSON.stringify({ scope: 'device', type: 'sas', issuer: 'iothub', acceptingIpFilterRule: null });
const MODULE_AUTH_METHOD = JSON.stringify({ scope: 'module', type: 'sas', issuer: 'iothub', acceptingIpFilterRule: null });

/**
 * Encodes the AMQP message IoT Hub puts on its built-in Event Hub-compatible endpoint for a device-to-cloud message
 * (https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-messages-construct): message annotations
 * `x-opt-sequence-number` (long), `x-opt-offset` (string), `x-opt-enqueued-time` (timestamp), `iothub-*` system
 * properties; the device's `message_id`, `correlation_id`, `content_type`, `content_encoding`; application properties
 * (types kept; `iothub-creation-time-utc` when the device set it); the body as one data section of the raw bytes.
 * Encoded once per event (rhea's codec) into a buffer of its exact size; readers get the same bytes.
 */
export function encodeEventMessage(input: DeviceMessage, position: LogPosition, generationId: string): Buffer {
  const enqueued = types.wrap_timestamp(position.enqueuedMs);
  const annotations: Record<string, unknown> = {
    'x-opt-sequence-number': types.wrap_long(position.sequenceNumber),
    'x-opt-offset': String(position.offset),
    'x-opt-enqueued-time': enqueued,
    'iothub-connection-device-id': input.deviceId,
    'iothub-connection-auth-method': input.moduleId === undefined ? AUTH_METHOD : MODULE_AUTH_METHOD,
    'iothub-connection-auth-generation-id': generationId,
    'iothub-enqueuedtime': enqueued,
    'iothub-message-source': input.messageSource,
  };
  if (input.moduleId !== undefined) annotations['iothub-connection-module-id'] = input.moduleId;
  let properties: Record<string, unknown> | undefined;
  if (input.properties || input.creationTimeUtc !== undefined) {
    properties = {};
    for (const [name, value] of Object.entries(input.properties ?? {})) properties[name] = wrapProperty(value);
    if (input.creationTimeUtc !== undefined) properties['iothub-creation-time-utc'] = input.creationTimeUtc;
  }
  // rhea encodes into a 1 KiB buffer and returns a view of it: copy so a stored event keeps only its own bytes.
  return Buffer.from(message.encode({
    message_annotations: annotations,
    message_id: input.messageId,
    correlation_id: input.correlationId,
    content_type: input.contentType,
    content_encoding: input.contentEncoding,
    application_properties: properties,
    body: message.data_section(input.body) as unknown,
  }));
}

/** Integers go as long, other numbers as double, so a reader gets back the same JS number. */
function wrapProperty(value: EmulatorPropertyValue): unknown {
  if (typeof value !== 'number') return value;
  return Number.isSafeInteger(value) ? types.wrap_long(value) : types.wrap_double(value);
}

/**
 * Encodes the delivery annotations a receiver asked for with `com.microsoft:enable-receiver-runtime-metric`
 * (Event Hubs AMQP: `last_enqueued_sequence_number`, `last_enqueued_offset`, `last_enqueued_time_utc`,
 * `runtime_info_retrieval_time_utc`). Sent as a section before the stored message (AMQP 1.0 §3.2 section order).
 */
export function encodeRuntimeInfo(lastSequenceNumber: number, lastOffset: number, lastEnqueuedMs: number): Buffer {
  // message.encode would add an (empty) body section, so the section is written on its own.
  const writer = new Writer();
  writer.write(types.described(types.wrap_ulong(DELIVERY_ANNOTATIONS), types.wrap_symbolic_map({
    last_enqueued_sequence_number: types.wrap_long(lastSequenceNumber),
    last_enqueued_offset: String(lastOffset),
    last_enqueued_time_utc: types.wrap_timestamp(lastEnqueuedMs),
    runtime_info_retrieval_time_utc: types.wrap_timestamp(Date.now()),
  })));
  return Buffer.from(writer.toBuffer());
}

/** Descriptor of the delivery-annotations section (AMQP 1.0 §3.2.2). */
const DELIVERY_ANNOTATIONS = 0x71;
/** rhea's encoder (a runtime member of `types` that its typings leave out). */
const { Writer } = types as unknown as { Writer: new () => { write(value: unknown): void; toBuffer(): Buffer } };
