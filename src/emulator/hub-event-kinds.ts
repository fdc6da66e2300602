import type { SendOptions } from './emulator-types.js';

/** The operations of IoT Hub's non-telemetry events the emulator can inject, each with its routing source and schema. */
export const HUB_EVENT_KINDS = {
  deviceConnected: { source: 'deviceConnectionStateEvents', schema: 'deviceConnectionStateNotification' },
  deviceDisconnected: { source: 'deviceConnectionStateEvents', schema: 'deviceConnectionStateNotification' },
  updateTwin: { source: 'twinChangeEvents', schema: 'twinChangeNotification' },
  replaceTwin: { source: 'twinChangeEvents', schema: 'twinChangeNotification' },
  createDeviceIdentity: { source: 'deviceLifecycleEvents', schema: 'deviceLifecycleNotification' },
  deleteDeviceIdentity: { source: 'deviceLifecycleEvents', schema: 'deviceLifecycleNotification' },
} as const;

/** One of {@link HUB_EVENT_KINDS}: the event's `opType`. */
export type HubEventKind = keyof typeof HUB_EVENT_KINDS;

/** What to inject: the kind, optionally for a module, a body replacing the default one, an `operationTimestamp`. */
export interface HubEventRequest {
  kind: HubEventKind;
  moduleId?: string;
  body?: unknown;
  /** ISO 8601 UTC; default now. */
  operationTimestamp?: string;
}

let counter = 0n;

/**
 * A connection event's `sequenceNumber` as IoT Hub writes it: 64 hex digits (a 256-bit number) that grow with time, so
 * that string order is event order (here: ms since epoch, then a counter), across emulator restarts too.
 */
export function nextConnectionSequence(nowMs: number): string {
  counter += 1n;
  return ((BigInt(nowMs) << 64n) + counter).toString(16).toUpperCase().padStart(64, '0');
}

/** The device twin IoT Hub puts in a lifecycle event's body (a new identity's twin). */
function twinOf(deviceId: string, moduleId: string | undefined, at: string): unknown {
  const metadata = { $lastUpdated: at };
  return {
    deviceId, ...(moduleId !== undefined ? { moduleId } : {}), etag: 'AAAAAAAAAAE=', version: 1, status: 'enabled',
    statusUpdateTime: '0001-01-01T00:00:00Z', connectionState: 'Disconnected', lastActivityTime: '0001-01-01T00:00:00Z',
    cloudToDeviceMessageCount: 0, authenticationType: 'sas', x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
    modelId: '', capabilities: { iotEdge: false },
    properties: { desired: { $metadata: metadata, $version: 1 }, reported: { $metadata: metadata, $version: 1 } },
  };
}

function defaultBody(request: HubEventRequest, deviceId: string, at: string, nowMs: number): unknown {
  const source = HUB_EVENT_KINDS[request.kind].source;
  if (source === 'deviceConnectionStateEvents') return { sequenceNumber: nextConnectionSequence(nowMs) };
  if (source === 'twinChangeEvents') return { version: 2, properties: { desired: { $metadata: { $lastUpdated: at }, $version: 2 } } };
  return twinOf(deviceId, request.moduleId, at);
}

/**
 * The body and send options of one non-telemetry event with IoT Hub's shapes
 * (https://learn.microsoft.com/azure/iot-hub/iot-hub-non-telemetry-event-schema): `iothub-message-source` the kind's
 * routing source; application properties `hubName`, `deviceId`, `moduleId` (for a module), `opType`,
 * `iothub-message-schema`, `operationTimestamp`; JSON body in `utf-8` (connection: `{ sequenceNumber }`, twin change:
 * the patch with `version`, lifecycle: the twin).
 */
export function hubEventMessage(hubName: string, deviceId: string, request: HubEventRequest, nowMs: number): { body: string; options: SendOptions } {
  const at = request.operationTimestamp ?? new Date(nowMs).toISOString();
  const { source, schema } = HUB_EVENT_KINDS[request.kind];
  const body = request.body ?? defaultBody(request, deviceId, at, nowMs);
  const properties: Record<string, string> = {
    hubName, deviceId, ...(request.moduleId !== undefined ? { moduleId: request.moduleId } : {}),
    opType: request.kind, 'iothub-message-schema': schema, operationTimestamp: at,
  };
  return {
    body: JSON.stringify(body),
    options: { messageSource: source, contentType: 'application/json', contentEncoding: 'utf-8', properties, ...(request.moduleId !== undefined ? { moduleId: request.moduleId } : {}) },
  };
}
