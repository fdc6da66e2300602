import type { TSchema } from '@sinclair/typebox';
import { ServerMessageSchemas } from '../schemas/live-messages.js';
import { SseEventSchemas } from '../schemas/sse-events.js';
import { ClientMessageSchemas } from './client-messages.js';
import { CloseCode, closeReason, isFinalClose } from './close-codes.js';

/** `<partitionId>:<sequenceNumber>`, as `parsePosition` reads it. */
const POSITION = { type: 'string', pattern: '^[^:]+:\\d{1,15}$', description: 'A stored message\'s position `<partitionId>:<sequenceNumber>`: unique per hub; the SSE event `id` and the WebSocket resume point (`from`).' };

/** A TypeBox schema as plain JSON Schema (draft-07 compatible): TypeBox's symbol keys dropped. */
function plain(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/** The JSON Schema of a batched frame: an array of two or more server messages. */
function batchFrame(serverKeys: string[]): Record<string, unknown> {
  return {
    description: 'One WebSocket text frame holding several server messages in order (clients that opted in with `batch`).',
    payload: { type: 'array', minItems: 2, items: { oneOf: serverKeys.map((key) => ({ $ref: `#/components/messages/${key}/payload` })) } },
  };
}

/** The close code table, from the one in `public/protocol.js`. */
function closeCodes(): Array<{ code: number; reason: string; final: boolean; action: string }> {
  return Object.values(CloseCode).map((code) => ({
    code,
    reason: closeReason[code],
    final: isFinalClose(code),
    action: isFinalClose(code) ? 'stop: reconnecting with the same key or origin cannot succeed' : 'reconnect with backoff, resuming with `from`',
  }));
}

const WS_DESCRIPTION = [
  'Live telemetry over WebSocket. Authenticate with the `api_key` query parameter or a first `auth` message (within WS_AUTH_TIMEOUT s); then `subscribe` to devices.',
  'Resume: `subscribe` with `from` (a position for one device, or `{ "<deviceId>": "<position>" }`) replays every later stored message of that device, then live ones, no gap and no duplicate; a position no longer held gives `reset`, then the whole history.',
  'A position is `<partitionId>:<sequenceNumber>` (see components.schemas.Position).',
  'Batched frames (opt-in: `batch: true` in `auth`, or `?batch=true`): at most one frame is in flight: whenever more than one message waits for the client when the socket has written the previous frame, they come as ONE text frame holding a JSON array `[message, message, …]`, in order, each element exactly the message otherwise sent alone (see `x-batch-frame`); a single waiting message still comes as a plain object. Nothing is delayed to fill a batch. A frame holds at most 64 KiB of messages (one longer message goes alone).',
  'The `devices` list comes right after auth and on its changes (at most once a second); a client that only wants its devices\' telemetry opts out with `devices: false` in `auth` or `?devices=false`: no `devices` message on that connection.',
].join('\n\n');

const SSE_DESCRIPTION = [
  'A device\'s live telemetry as Server-Sent Events (`text/event-stream`); key in `X-API-Key` or `api_key`. Starts with `retry: 2000` and a hub-wide `status`; a `: heartbeat` comment every SSE_HEARTBEAT_INTERVAL s.',
  'Each `telemetry` event has `id: <position>`. Resume: the `Last-Event-ID` header (EventSource sends it when it reconnects) or `?lastEventId=` resumes right after that position; a position no longer held gives `reset`, then the whole history. The stream ends after `status` `unregistered`.',
].join('\n\n');

function closeCodeText(): string {
  return ['Close codes:', ...closeCodes().map((c) => `- ${c.code} ${c.reason}: ${c.action}`)].join('\n');
}

type Messages = Record<string, TSchema>;

/** AsyncAPI message objects keyed `<prefix>.<name>`, each named after its `type` / SSE event. */
function messages(prefix: string, schemas: Messages, title: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [
      `${prefix}.${name}`,
      { name, title: `${title} \`${name}\``, contentType: 'application/json', payload: plain(schema) },
    ]),
  );
}

/** Channel message references (`#/components/messages/<key>`), keyed like the channel's messages. */
function refs(keys: string[]): Record<string, { $ref: string }> {
  return Object.fromEntries(keys.map((key) => [key, { $ref: `#/components/messages/${key}` }]));
}

/** One operation per message: the gateway `receive`s client messages and `send`s server messages. */
function operations(channel: string, action: 'send' | 'receive', keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [
    `${channel}.${action}.${key.split('.').pop()}`,
    { action, channel: { $ref: `#/channels/${channel}` }, messages: [{ $ref: `#/channels/${channel}/messages/${key}` }] },
  ]));
}

/**
 * The AsyncAPI 3.0 document of the live protocols, generated from the TypeBox message schemas (`ClientMessageSchemas`,
 * `ServerMessageSchemas`, `SseEventSchemas`) and the close code table, so a message or field added there appears
 * here: channel `ws` (`GET /api/ws`) and channel `sse` (`GET /api/devices/{deviceId}/events`), written from the
 * gateway's side. `version` is the gateway's.
 */
export function asyncApiDocument(version: string): Record<string, unknown> {
  const client = messages('ws.client', ClientMessageSchemas, 'Client message');
  const server = messages('ws.server', ServerMessageSchemas, 'Server message');
  const sse = messages('sse', SseEventSchemas, 'SSE event');
  const clientKeys = Object.keys(client);
  const serverKeys = Object.keys(server);
  const sseKeys = Object.keys(sse);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'IoT Hub telemetry gateway: live protocols',
      version,
      description: 'WebSocket (`/api/ws`) and Server-Sent Events (`/api/devices/{deviceId}/events`). The REST API: `/docs/json` (OpenAPI).',
    },
    defaultContentType: 'application/json',
    servers: {
      ws: { host: '{host}', protocol: 'ws', description: 'The gateway (PORT, default 5000); `wss` behind a TLS front.', variables: { host: { default: 'localhost:5000' } } },
      http: { host: '{host}', protocol: 'http', description: 'The gateway (PORT, default 5000).', variables: { host: { default: 'localhost:5000' } } },
    },
    channels: {
      ws: {
        address: '/api/ws',
        title: 'WebSocket',
        description: `${WS_DESCRIPTION}\n\n${closeCodeText()}`,
        servers: [{ $ref: '#/servers/ws' }],
        messages: refs([...clientKeys, ...serverKeys]),
        bindings: {
          ws: {
            method: 'GET',
            query: {
              type: 'object',
              properties: {
                api_key: { type: 'string', description: 'The API key (else a first `auth` message).' },
                batch: { type: 'string', enum: ['true', 'false'], description: 'Batched frames (`x-batch-frame`); `batch` in `auth` decides over it. Another value: a `bad_request` `error` after auth, batching off.' },
                devices: { type: 'string', enum: ['true', 'false'], description: '`false`: no `devices` messages on this connection; `devices` in `auth` decides over it. Another value: a `bad_request` `error` after auth, the list is sent.' },
              },
            },
            bindingVersion: '0.1.0',
          },
        },
        'x-close-codes': closeCodes(),
        'x-batch-frame': batchFrame(serverKeys),
      },
      sse: {
        address: '/api/devices/{deviceId}/events',
        title: 'Server-Sent Events',
        description: SSE_DESCRIPTION,
        servers: [{ $ref: '#/servers/http' }],
        parameters: { deviceId: { description: 'The registered device ID (URL-encoded).' } },
        messages: refs(sseKeys),
      },
    },
    operations: {
      ...operations('ws', 'receive', clientKeys),
      ...operations('ws', 'send', serverKeys),
      ...operations('sse', 'send', sseKeys),
    },
    components: {
      schemas: { Position: POSITION },
      messages: { ...client, ...server, ...sse },
    },
  };
}
