import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isValidDeviceId } from './device-id.js';
import type { Emulator } from './emulator-types.js';
import { HUB_EVENT_KINDS, hubEventMessage, type HubEventKind } from './hub-event-kinds.js';

/** Padded base64 (RFC 4648 §4); `Buffer.from(text, 'base64')` would silently skip anything else. */
const BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

const EventBody = Type.Object({
  deviceId: Type.String(),
  moduleId: Type.Optional(Type.String()),
  messageSource: Type.Optional(Type.String({ minLength: 1 })),
  body: Type.Optional(Type.String()),
  bodyBase64: Type.Optional(Type.String({ contentEncoding: 'base64', pattern: BASE64_PATTERN })),
  contentType: Type.Optional(Type.String()),
  contentEncoding: Type.Optional(Type.String()),
  messageId: Type.Optional(Type.String()),
  correlationId: Type.Optional(Type.String()),
  creationTimeUtc: Type.Optional(Type.String()),
  properties: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
}, { additionalProperties: false });

const HubEventBody = Type.Object({
  kind: Type.Union(Object.keys(HUB_EVENT_KINDS).map((kind) => Type.Literal(kind as HubEventKind))),
  moduleId: Type.Optional(Type.String()),
  /** Replaces the default body (a twin patch, a connection event's `{ sequenceNumber }`, a twin). */
  body: Type.Optional(Type.Unknown()),
  operationTimestamp: Type.Optional(Type.String({ minLength: 1 })),
}, { additionalProperties: false });

const FaultBody = Type.Union([
  Type.Object({ type: Type.Literal('disconnect') }),
  Type.Object({ type: Type.Union([Type.Literal('reject-auth'), Type.Literal('stall'), Type.Literal('hold-deliveries')]), durationMs: Type.Integer({ minimum: 0, maximum: 3_600_000 }) }),
]);

/**
 * The emulator's JSON control API: `GET /_emulator/stats` (the {@link Emulator.stats} snapshot),
 * `POST /_emulator/events` (inject an event, any `messageSource`, typed properties: numbers stay numbers, booleans
 * stay booleans), `POST /_emulator/devices/{deviceId}/hub-events` (a connection state, twin change or lifecycle event
 * with IoT Hub's shapes, see {@link hubEventMessage}; answers 200 with where it landed, its message source, properties
 * and body) and `POST /_emulator/faults` (`disconnect`, `reject-auth` / `stall` / `hold-deliveries` with `durationMs` in ms).
 * POSTs answer 204, or 400 for a body that breaks the schema (unknown fields included, a `bodyBase64` that is not
 * padded base64) or an invalid device/module ID.
 */
export function controlApi(app: FastifyInstance, opts: { emulator: Pick<Emulator, 'send' | 'stats' | 'faults' | 'hubName'> }): Promise<void> {
  const { emulator } = opts;
  app.get('/_emulator/stats', () => emulator.stats());
  app.post<{ Body: Static<typeof EventBody> }>('/_emulator/events', { schema: { body: EventBody } }, async (request, reply) => {
    const { deviceId, moduleId, body, bodyBase64, properties, ...rest } = request.body;
    if (!isValidDeviceId(deviceId) || (moduleId !== undefined && !isValidDeviceId(moduleId))) {
      return reply.code(400).send({ error: 'invalid_device_id', message: 'Invalid device ID or module ID.' });
    }
    if ((body === undefined) === (bodyBase64 === undefined)) {
      return reply.code(400).send({ error: 'invalid_body', message: 'Give exactly one of body and bodyBase64.' });
    }
    const bytes = body !== undefined ? Buffer.from(body, 'utf8') : Buffer.from(bodyBase64 as string, 'base64');
    await emulator.send(deviceId, bytes, { ...rest, moduleId, properties });
    return reply.code(204).send();
  });
  app.post<{ Params: { deviceId: string }; Body: Static<typeof HubEventBody> }>(
    '/_emulator/devices/:deviceId/hub-events',
    { schema: { body: HubEventBody } },
    async (request, reply) => {
      const { deviceId } = request.params;
      const { moduleId } = request.body;
      if (!isValidDeviceId(deviceId) || (moduleId !== undefined && !isValidDeviceId(moduleId))) {
        return reply.code(400).send({ error: 'invalid_device_id', message: 'Invalid device ID or module ID.' });
      }
      const { body, options } = hubEventMessage(emulator.hubName, deviceId, request.body, Date.now());
      const sent = await emulator.send(deviceId, body, options);
      return reply.code(200).send({ ...sent, messageSource: options.messageSource, properties: options.properties, body: JSON.parse(body) as unknown });
    },
  );
  app.post<{ Body: Static<typeof FaultBody> }>('/_emulator/faults', { schema: { body: FaultBody } }, async (request, reply) => {
    const fault = request.body;
    if (fault.type === 'disconnect') emulator.faults.disconnect();
    else if (fault.type === 'reject-auth') emulator.faults.rejectAuth(fault.durationMs);
    else if (fault.type === 'stall') emulator.faults.stall(fault.durationMs);
    else emulator.faults.holdDeliveries(fault.durationMs);
    return reply.code(204).send();
  });
  return Promise.resolve();
}
