import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validateDevicePattern } from '../../devices/device-pattern.js';
import { DeviceIdParams, PatternParams, PatternReply, RegisterBody, RegistrationReply } from '../../schemas/devices.js';
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
  for (const key of ['deviceId', 'deviceIdPattern']) {
    if (Object.hasOwn(body, key) && typeof (body as Record<string, unknown>)[key] !== 'string') {
      void sendError(reply, 400, `invalid ${key}: ${key === 'deviceId' ? 'device ID' : 'pattern'} must be a string`);
      return;
    }
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
 * With `{ deviceIdPattern, units? }` instead (a glob, see `device-pattern.ts`) → 201 `{ deviceIdPattern, registeredAt,
 * status: "registered", message }` for a new pattern, 200 for a known one; 400 with both or neither of `deviceId` and
 * `deviceIdPattern`, or an invalid pattern.
 * `DELETE /api/unregister-pattern/{pattern}` (URL-encoded) → 200 `{ …, status: "unregistered", unregisteredDevices }`
 * (the devices it alone registered are unregistered, their history removed), 404 when unknown.
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
        tags: ['devices'], summary: 'Register a device (202 new or reactivated, 200 already active), or a device ID pattern (201 new, 200 known)', body: RegisterBody,
        response: { 200: Type.Union([RegistrationReply, PatternReply]), 201: PatternReply, 202: RegistrationReply, ...errorResponses(400, 401, 413, 415) },
      },
    },
    (request, reply) => {
      const { deviceId, deviceIdPattern, units } = request.body;
      if ((deviceId === undefined) === (deviceIdPattern === undefined)) {
        return sendError(reply, 400, 'give exactly one of deviceId and deviceIdPattern');
      }
      if (deviceIdPattern !== undefined) return registerPattern(app, reply, deviceIdPattern, units);
      if (deviceId === undefined) return sendError(reply, 400, 'missing deviceId');
      app.patterns.registeredExplicitly(deviceId);
      const { outcome, state } = registry.register(deviceId, units);
      if (outcome === 'already-active') {
        return reply.code(200).send({ deviceId, status: state.status, message: 'Device already registered' });
      }
      return reply.code(202).send({ deviceId, status: 'registering', message: 'Device registration initiated' });
    },
  );
  app.delete<{ Params: PatternParams }>(
    '/api/unregister-pattern/:pattern',
    {
      schema: {
        tags: ['devices'], summary: 'Unregister a device ID pattern and the devices it alone registered',
        params: PatternParams, response: { 200: PatternReply, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { pattern } = request.params;
      const entry = app.patterns.list().find((p) => p.deviceIdPattern === pattern);
      const removed = app.patterns.remove(pattern);
      if (!entry || !removed) return sendError(reply, 404, `device ID pattern ${JSON.stringify(pattern)} is not registered`);
      for (const id of removed) await store.remove(id);
      return reply.code(200).send({ ...entry, status: 'unregistered', message: 'Device ID pattern unregistered', unregisteredDevices: removed });
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

/** Registers a pattern: 201 when new, 200 when known (activity for its devices), 400 when invalid or too many. */
function registerPattern(app: FastifyInstance, reply: FastifyReply, pattern: string, units: RegisterBody['units']): FastifyReply {
  const problem = validateDevicePattern(pattern);
  if (problem) return sendError(reply, 400, problem);
  let added;
  try {
    added = app.patterns.add(pattern, units);
  } catch (error) {
    return sendError(reply, 400, (error as Error).message);
  }
  const message = added.created ? 'Device ID pattern registered' : 'Device ID pattern already registered';
  return reply.code(added.created ? 201 : 200).send({ ...added.entry, status: 'registered', message });
}
