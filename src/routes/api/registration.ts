import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DeviceIdParams, RegisterBody, RegistrationReply } from '../../schemas/devices.js';
import { errorResponses } from '../../schemas/openapi.js';
import { sendError } from '../../plugins/error-reply.js';

/** Largest register body, in bytes. */
const REGISTER_BODY_LIMIT = 16 * 1024;

function requireJson(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const type = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    void sendError(reply, 415, `unsupported content type ${JSON.stringify(type || 'none')}: send application/json`);
    return;
  }
  // fastify does not decompress; a compressed body would be reported as malformed JSON. RFC 7694 §3: 415.
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    void sendError(reply, 415, `unsupported content encoding ${JSON.stringify(encoding)}: send the JSON body uncompressed`);
    return;
  }
  done();
}

/**
 * fastify's Ajv coerces scalars (`coerceTypes: 'array'`, needed for query strings): `{"deviceId":123}`, `true` or
 * `["a"]` would register the devices "123", "true" and "a", and `{"units":{"voltage":5}}` would store the unit "5".
 * A JSON body's device ID and units must already be strings.
 */
function requireStrings(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const body = request.body;
  if (typeof body !== 'object' || body === null) return done();
  if (Object.hasOwn(body, 'deviceId') && typeof (body as { deviceId: unknown }).deviceId !== 'string') {
    void sendError(reply, 400, 'invalid deviceId: device ID must be a string');
    return;
  }
  const units = (body as { units?: unknown }).units;
  if (typeof units === 'object' && units !== null && !Array.isArray(units)) {
    const bad = Object.entries(units).find(([, unit]) => typeof unit !== 'string');
    if (bad) {
      void sendError(reply, 400, `invalid units: the unit of ${JSON.stringify(bad[0].slice(0, 128))} must be a string`);
      return;
    }
  }
  done();
}

/**
 * `POST /api/register-device` `{ deviceId, units? }` (`units` replace the registration's; see `Units`) → 202 `{ deviceId, status: "registering", message: "Device registration
 * initiated" }` for a new or reactivated device, 200 `{ …, status: <current>, message: "Device already registered" }`
 * for an active one; 400 for a `deviceId` that is not a JSON string; 415 without `application/json` or with a
 * `Content-Encoding` other than `identity`, 413 over 16 KiB.
 * `DELETE /api/unregister-device/{deviceId}` → 200 `{ deviceId, status: "unregistered", message: "Device
 * unregistered successfully" }`, 404 when unknown; an empty JSON body is accepted.
 */
export function registrationRoutes(app: FastifyInstance): Promise<void> {
  const { registry, store } = app;
  app.post<{ Body: RegisterBody }>(
    '/api/register-device',
    {
      bodyLimit: REGISTER_BODY_LIMIT,
      onRequest: requireJson,
      preValidation: requireStrings,
      schema: {
        tags: ['devices'], summary: 'Register a device (202 new or reactivated, 200 already active)', body: RegisterBody,
        response: { 200: RegistrationReply, 202: RegistrationReply, ...errorResponses(400, 401, 413, 415) },
      },
    },
    (request, reply) => {
      const { deviceId, units } = request.body;
      const { outcome, state } = registry.register(deviceId, units);
      if (outcome === 'already-active') {
        return reply.code(200).send({ deviceId, status: state.status, message: 'Device already registered' });
      }
      return reply.code(202).send({ deviceId, status: 'registering', message: 'Device registration initiated' });
    },
  );
  app.delete<{ Params: DeviceIdParams }>(
    '/api/unregister-device/:deviceId',
    {
      schema: {
        tags: ['devices'], summary: 'Unregister a device and delete its stored telemetry', params: DeviceIdParams,
        response: { 200: RegistrationReply, ...errorResponses(400, 401, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const { deviceId } = request.params;
      if (!registry.unregister(deviceId)) return sendError(reply, 404, `device ${deviceId} is not registered`);
      await store.remove(deviceId);
      return reply.code(200).send({ deviceId, status: 'unregistered', message: 'Device unregistered successfully' });
    },
  );
  return Promise.resolve();
}
