import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isValidDeviceId, MAX_MESSAGE_BYTES } from './device-id.js';
import type { Emulator, SendOptions } from './emulator-types.js';

const APP_PREFIX = 'iothub-app-';

/**
 * The device side, in the shape of IoT Hub's device HTTPS API
 * (https://learn.microsoft.com/rest/api/iothub/device/send-device-event):
 * `POST /devices/{deviceId}/messages/events` and `POST /devices/{deviceId}/modules/{moduleId}/messages/events`,
 * raw body bytes (any content type, up to 256 KiB, else 413), headers `iothub-contenttype`,
 * `iothub-contentencoding`, `iothub-messageid`, `iothub-correlationid`, `iothub-creation-time-utc` and
 * `iothub-app-<name>` (the name's case as sent, read from `rawHeaders`). Answers 204; 400 for a bad device or module ID.
 * Register it in its own encapsulated context: it replaces the content-type parsers.
 */
export function deviceApi(app: FastifyInstance, opts: { send: Emulator['send'] }): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_MESSAGE_BYTES }, (_req, body, done) => done(null, body));
  const handler = async (request: FastifyRequest<{ Params: { deviceId: string; moduleId?: string } }>, reply: FastifyReply) => {
    const { deviceId, moduleId } = request.params;
    if (!isValidDeviceId(deviceId)) return reply.code(400).send({ error: 'invalid_device_id', message: 'Invalid device ID.' });
    if (moduleId !== undefined && !isValidDeviceId(moduleId)) {
      return reply.code(400).send({ error: 'invalid_module_id', message: 'Invalid module ID.' });
    }
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    await opts.send(deviceId, body, { ...sendOptionsOf(request.raw.rawHeaders), moduleId });
    return reply.code(204).send();
  };
  app.post('/devices/:deviceId/messages/events', handler);
  app.post('/devices/:deviceId/modules/:moduleId/messages/events', handler);
  return Promise.resolve();
}

/** Reads the IoT Hub message headers from Node's raw header list (names as sent, values as strings). */
function sendOptionsOf(rawHeaders: string[]): SendOptions {
  const options: SendOptions = {};
  let properties: Record<string, string> | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const lower = name.toLowerCase();
    if (lower.startsWith(APP_PREFIX) && name.length > APP_PREFIX.length) {
      (properties ??= {})[name.slice(APP_PREFIX.length)] = value;
    } else if (lower === 'iothub-contenttype') options.contentType = value;
    else if (lower === 'iothub-contentencoding') options.contentEncoding = value;
    else if (lower === 'iothub-messageid') options.messageId = value;
    else if (lower === 'iothub-correlationid') options.correlationId = value;
    else if (lower === 'iothub-creation-time-utc') options.creationTimeUtc = value;
  }
  if (properties) options.properties = properties;
  return options;
}
