import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { validateDevicePattern } from '../devices/device-pattern.js';
import { DEVICE_ID_MAX_LENGTH, DEVICE_ID_PATTERN } from '../schemas/device-id.js';
import { AggregateFnSchema, type AggregateFn } from '../schemas/live-messages.js';
import { FieldPathError, MAX_FIELDS, parseFieldList, type FieldPath } from '../telemetry/field-path.js';

/** A device ID as IoT Hub accepts it (the REST API's schema). */
const DeviceId = Type.String({ minLength: 1, maxLength: DEVICE_ID_MAX_LENGTH, pattern: DEVICE_ID_PATTERN });
/** A position `<partitionId>:<sequenceNumber>`. */
const Position = Type.String({ pattern: '^[^:]+:\\d{1,15}$' });

/** A field selection: paths into the JSON body (`voltage`, `voltages[1]`, `env.temperature`). */
const Fields = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: MAX_FIELDS });

/** Every client → server message of `GET /api/ws`, one TypeBox schema each (the source of the AsyncAPI document). */
export const ClientMessageSchemas = {
  auth: Type.Object({
    type: Type.Literal('auth'),
    apiKey: Type.String(),
    /** Several messages waiting for this client go as one JSON array frame (decides over `?batch=`). */
    batch: Type.Optional(Type.Boolean()),
    /** `false`: no `devices` list on this connection (decides over `?devices=`; default true). */
    devices: Type.Optional(Type.Boolean()),
  }),
  subscribe: Type.Object({
    type: Type.Literal('subscribe'),
    deviceIds: Type.Optional(Type.Array(DeviceId, { minItems: 1 })),
    deviceId: Type.Optional(DeviceId),
    from: Type.Optional(Type.Union([Position, Type.Record(Type.String(), Position)])),
    /** Only these body fields: `body` becomes `{ "<path>": value }`. */
    fields: Type.Optional(Fields),
    /** Also stream the devices' non-telemetry hub events as `hubEvent` messages. */
    hubEvents: Type.Optional(Type.Boolean()),
    /** Live aggregates instead of raw telemetry: one `aggregate` message per closed bucket. */
    aggregate: Type.Optional(Type.Object({
      /** A fixed-length ISO 8601 duration (`PT1M`) or `10s` / `1m` / `1h`. */
      interval: Type.String({ minLength: 1, maxLength: 32 }),
      fields: Fields,
      fn: Type.Array(AggregateFnSchema, { minItems: 1, maxItems: 7 }),
    })),
    /** Every registered device whose ID matches this glob (`*`, `?`), now and later. */
    deviceIdPattern: Type.Optional(Type.String({ minLength: 1, maxLength: DEVICE_ID_MAX_LENGTH })),
    /** Only messages of this module of the device(s). */
    moduleId: Type.Optional(Type.String({ minLength: 1, maxLength: DEVICE_ID_MAX_LENGTH })),
  }),
  unsubscribe: Type.Object({
    type: Type.Literal('unsubscribe'),
    deviceIds: Type.Optional(Type.Array(DeviceId, { minItems: 1 })),
    deviceId: Type.Optional(DeviceId),
  }),
  ping: Type.Object({ type: Type.Literal('ping') }),
};
const schemas = ClientMessageSchemas;
const checkers = {
  auth: TypeCompiler.Compile(schemas.auth),
  subscribe: TypeCompiler.Compile(schemas.subscribe),
  unsubscribe: TypeCompiler.Compile(schemas.unsubscribe),
  ping: TypeCompiler.Compile(schemas.ping),
};

/**
 * A client → server message of `GET /api/ws`, normalized: `subscribe`/`unsubscribe`
 * always carry `deviceIds`, and `subscribe` a per-device `from` map.
 */
/** What a `subscribe` asks besides its devices and positions (all optional). */
export interface SubscribeOptions {
  fields?: FieldPath[];
  hubEvents?: boolean;
  aggregate?: { interval: string; fields: FieldPath[]; fn: AggregateFn[] };
  deviceIdPattern?: string;
  moduleId?: string;
}

export type ClientMessage =
  | (Static<typeof schemas.auth> & { invalidOptions?: string[] })
  | { type: 'subscribe'; deviceIds: string[]; from: Map<string, string>; options: SubscribeOptions }
  | { type: 'unsubscribe'; deviceIds: string[] }
  | { type: 'ping' };

/** The result of {@link parseClientMessage}: the message, or a `bad_request` explanation for an `error` reply. */
export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; message: string };

/**
 * Parses and validates one text frame from a client (JSON, validated against TypeBox schemas). Never throws:
 * malformed JSON, a missing or unknown `type`, or a field of the wrong shape give `{ ok: false, message }`.
 */
export function parseClientMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'malformed JSON' };
  }
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return { ok: false, message: 'a message is a JSON object with a string "type"' };
  if (!Object.hasOwn(checkers, type)) return { ok: false, message: `unknown message type "${type.slice(0, 40)}"` };
  const invalidOptions = type === 'auth' ? dropInvalidOptions(value as Record<string, unknown>) : [];
  const checker = checkers[type as keyof typeof checkers];
  if (!checker.Check(value)) {
    const first = checker.Errors(value).First();
    return { ok: false, message: `invalid "${type}" message: ${first ? `${first.path || '/'} ${first.message}` : 'bad shape'}` };
  }
  if (type === 'subscribe') return normalizeSubscribe(value as Static<typeof schemas.subscribe>);
  if (type === 'unsubscribe') {
    const v = value as Static<typeof schemas.unsubscribe>;
    const deviceIds = v.deviceIds ?? (v.deviceId === undefined ? [] : [v.deviceId]);
    if (deviceIds.length === 0) return { ok: false, message: 'unsubscribe needs "deviceIds" (or "deviceId")' };
    return { ok: true, message: { type: 'unsubscribe', deviceIds } };
  }
  if (invalidOptions.length > 0) return { ok: true, message: { ...(value as Static<typeof schemas.auth>), invalidOptions } };
  return { ok: true, message: value as ClientMessage };
}

/** Removes an `auth` option that is not a boolean (the key alone decides whether auth succeeds); their `bad_request` texts. */
function dropInvalidOptions(auth: Record<string, unknown>): string[] {
  const invalid: string[] = [];
  for (const name of ['batch', 'devices']) {
    if (!Object.hasOwn(auth, name) || typeof auth[name] === 'boolean') continue;
    delete auth[name];
    invalid.push(`"${name}" must be true or false`);
  }
  return invalid;
}

function normalizeSubscribe(v: Static<typeof schemas.subscribe>): ParseResult {
  const deviceIds = [...new Set(v.deviceIds ?? (v.deviceId === undefined ? [] : [v.deviceId]))];
  if (deviceIds.length === 0 && v.deviceIdPattern === undefined) return { ok: false, message: 'subscribe needs "deviceIds" (or "deviceId", or "deviceIdPattern")' };
  const badPattern = v.deviceIdPattern === undefined ? undefined : validateDevicePattern(v.deviceIdPattern);
  if (badPattern) return { ok: false, message: badPattern };
  const from = new Map<string, string>();
  if (typeof v.from === 'string') {
    if (deviceIds.length > 1) return { ok: false, message: '"from" must be a map { "<deviceId>": "<position>" } with several devices' };
    from.set(deviceIds[0] as string, v.from);
  } else if (v.from) {
    for (const [deviceId, position] of Object.entries(v.from)) from.set(deviceId, position);
  }
  const options: SubscribeOptions = {};
  try {
    if (v.fields) options.fields = parseFieldList(v.fields);
    if (v.aggregate) options.aggregate = { interval: v.aggregate.interval, fields: parseFieldList(v.aggregate.fields), fn: [...new Set(v.aggregate.fn)] };
  } catch (error) {
    if (error instanceof FieldPathError) return { ok: false, message: error.message };
    throw error;
  }
  if (v.hubEvents !== undefined) options.hubEvents = v.hubEvents;
  if (v.deviceIdPattern !== undefined) options.deviceIdPattern = v.deviceIdPattern;
  if (v.moduleId !== undefined) options.moduleId = v.moduleId;
  return { ok: true, message: { type: 'subscribe', deviceIds, from, options } };
}
