import protobuf from 'protobufjs';
import { ConfigError } from '../config/env-schema.js';
import { toStrictJsonValue } from './strict-json-value.js';

/** The message types of a loaded `.proto` file (protobufjs `Root`). */
export type ProtoTypes = protobuf.Root;

/**
 * Loads and resolves `PROTO_FILE` (a `.proto` file, its imports relative to it) with protobufjs, once at start.
 * @throws ConfigError naming `PROTO_FILE` when the file cannot be read or does not parse or resolve.
 */
export function loadProtoFile(path: string): ProtoTypes {
  try {
    const root = protobuf.loadSync(path);
    root.resolveAll();
    return root;
  } catch (error) {
    throw new ConfigError(`Invalid configuration PROTO_FILE: ${path}: ${(error as Error).message}`);
  }
}

const PROTOBUF_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/x-protobuf', 'application/protobuf', 'application/vnd.google.protobuf', 'application/x-google-protobuf',
]);

/** `true` for the media types Protobuf bodies are sent as (`application/x-protobuf`, `application/protobuf`, …). */
export function isProtobufMediaType(mediaType: string): boolean {
  return PROTOBUF_MEDIA_TYPES.has(mediaType);
}

/** Result of {@link decodeProtobufBody}: the message as strict JSON, or why it could not be decoded. */
export type ProtobufResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * How a decoded message becomes JSON (protobufjs `toObject`), close to the proto3 JSON mapping: 64-bit integers as
 * decimal strings (exact), enums by name, bytes as base64, default values included (proto3 does not send a zero, and
 * a reading of 0 must not vanish from a chart), unset message fields `null`.
 */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: true };

/**
 * Decodes a Protobuf body as message type `typeName` (fully qualified, e.g. `telemetry.Reading`; a leading `.`
 * allowed) of `types`, then maps it to strict JSON (non-finite doubles → `null`). Never throws.
 * @returns an error without `types` (no `PROTO_FILE`), without a type name, for a name that is not a message type of
 *   the file, or for bytes that are not such a message.
 */
export function decodeProtobufBody(bytes: Uint8Array, types: ProtoTypes | null | undefined, typeName: string | null | undefined): ProtobufResult {
  if (!types) return { ok: false, reason: 'Protobuf body but no PROTO_FILE configured' };
  if (!typeName) return { ok: false, reason: 'Protobuf body without a message type' };
  let type: protobuf.Type;
  try {
    type = types.lookupType(typeName);
  } catch {
    return { ok: false, reason: `Protobuf message type ${typeName} is not in PROTO_FILE` };
  }
  try {
    return { ok: true, value: toStrictJsonValue(type.toObject(type.decode(bytes), TO_OBJECT)) };
  } catch (error) {
    return { ok: false, reason: `not a valid ${typeName} Protobuf body: ${(error as Error).message}` };
  }
}
