import type { Connection } from 'rhea';

/** Number of fields of each AMQP 1.0 performative (OASIS AMQP 1.0 §2.7), by descriptor code. */
const FIELD_COUNTS = new Map<number, number>([
  [0x10, 10], // open
  [0x11, 8], // begin
  [0x12, 14], // attach
  [0x13, 11], // flow
  [0x14, 11], // transfer
  [0x15, 6], // disposition
  [0x16, 3], // detach
  [0x17, 1], // end
  [0x18, 1], // close
]);

/**
 * The open-frame limits Event Hubs announces (its open frame as azure-sdk-for-python#5316 logs it:
 * `{<container-id>,NULL,65536,4999,240000,NULL,NULL,NULL,NULL,NULL}`): max frame size 65,536 bytes, channel max 4,999,
 * idle time-out 240,000 ms. Options for rhea's `create_connection`. pyamqp compares `max-frame-size` with a number, so
 * it must not be null (AMQP's default).
 */
export const SERVICE_OPEN_LIMITS = { max_frame_size: 65_536, channel_max: 4_999, idle_time_out: 240_000 } as const;

/** `handle-max` of the service's begin frames (IoT Hub's, as azure-iot-sdks#263 logs it); pyamqp compares it with a number. */
const SERVICE_HANDLE_MAX = 262_143;
const BEGIN = 0x11;

/** Index of the `error` field of detach, end and close; an error (§2.8.14) has 3 fields: condition, description, info. */
const ERROR_FIELD = new Map<number, number>([[0x16, 2], [0x17, 0], [0x18, 0]]);

/** Pads a wrapped error (rhea's described list, whose `value` is the field array) to its 3 fields. */
function padError(error: unknown): void {
  const list = (error as { value?: unknown } | undefined)?.value;
  if (Array.isArray(list) && list.length < 3) list.length = 3;
}

/** A rhea performative as it is written: its composite type and its (possibly short) list of field values. */
interface Performative {
  constructor: { descriptor?: { numeric?: number } };
  value: unknown[];
  handle_max?: number;
}

interface FrameWriter {
  _write_frame(channel?: number, frame?: Performative, payload?: Buffer): void;
}

/**
 * Makes `connection` write every field of each performative and of its error, trailing nulls included, as Azure's
 * AMQP stack does, and a begin frame's `handle-max` (262,143) where rhea leaves AMQP's default (null).
 * AMQP 1.0 (§1.4) lets a sender omit trailing null fields, and rhea does; Microsoft's Python SDK (`azure-eventhub`'s
 * pyamqp) reads fields by index and fails on a shorter list (e.g. `IndexError` on the open frame's `idle-time-out`,
 * a transfer's payload taken for its `more` flag, a detach error without `description` and `info`:
 * Azure/azure-sdk-for-python#39195). Reports of other emulators that hit this: mxsdev/LocalSandbox#70,
 * floci-io/floci-az#75, gkinsman/AlmostServiceBus#79. The missing fields are encoded as AMQP null by rhea's codec.
 * Acts on this connection only (the gateway's own rhea client is untouched). Call before the connection writes.
 */
export function writeEveryField(connection: Connection): void {
  const writer = connection as unknown as FrameWriter;
  const write = writer._write_frame.bind(writer);
  writer._write_frame = (channel, frame, payload) => {
    const code = Number(frame?.constructor.descriptor?.numeric);
    const count = FIELD_COUNTS.get(code);
    if (frame && code === BEGIN && frame.value[4] === undefined) frame.handle_max = SERVICE_HANDLE_MAX;
    if (frame && count !== undefined && frame.value.length < count) frame.value.length = count;
    const error = frame && ERROR_FIELD.get(code);
    if (error !== undefined && error !== null) padError(frame?.value[error]);
    write(channel, frame, payload);
  };
}
