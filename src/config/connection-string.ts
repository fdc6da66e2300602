import { parseEventHubConnectionString } from '@azure/event-hubs';
import { ConnectionStringError } from './connection-string-error.js';
import { parseIotHubConnectionString, type IotHubEndpoint } from './iothub-connection-string.js';

export { ConnectionStringError } from './connection-string-error.js';
export type { IotHubEndpoint } from './iothub-connection-string.js';

/** The parts of an Event Hub-compatible connection string the gateway relies on (no secrets). */
export interface EventHubEndpoint {
  kind: 'eventhub';
  /** Host (and port, if any) of `Endpoint=sb://...`. */
  fullyQualifiedNamespace: string;
  /** `EntityPath`: the Event Hub-compatible name. */
  eventHubName: string;
  /** `UseDevelopmentEmulator=true`: TLS off (local emulator). */
  useDevelopmentEmulator: boolean;
  /** Whether the string authenticates with a ready-made `SharedAccessSignature` rather than a key. */
  usesSignature: boolean;
}

/** Either form of connection string, told apart by `kind`. */
export type HubEndpoint = EventHubEndpoint | IotHubEndpoint;

/**
 * Validates a connection string of either form, told apart by its parts: `HostName=` (without `Endpoint=`) is an IoT
 * Hub connection string (see `iothub-connection-string.ts`); otherwise an Event Hub-compatible connection string
 * (`Endpoint=sb://<ns>/;SharedAccessKeyName=..;SharedAccessKey=..;EntityPath=..`, or `SharedAccessSignature=..`
 * instead of the key pair, optionally `;UseDevelopmentEmulator=true`), as the Event Hubs SDK parses it
 * (`parseEventHubConnectionString`, @azure/event-hubs) plus the checks the SDK leaves to run time.
 * Follows IoT Hub's "Read device-to-cloud messages from the built-in endpoint" documentation.
 * @throws ConnectionStringError naming the missing or conflicting part and what to copy instead.
 */
export function parseConnectionString(text: string): HubEndpoint {
  const parts = new Map<string, string>();
  for (const segment of text.trim().split(';')) {
    const eq = segment.indexOf('=');
    if (eq > 0) parts.set(segment.slice(0, eq).trim().toLowerCase(), segment.slice(eq + 1).trim());
  }
  if (parts.has('hostname') && !parts.has('endpoint')) return parseIotHubConnectionString(parts);
  const endpoint = parts.get('endpoint');
  if (!endpoint) throw new ConnectionStringError('Connection string has no Endpoint=sb://<namespace>/ part.');
  if (!/^sb:\/\/[^/\s]+/i.test(endpoint)) {
    throw new ConnectionStringError('Connection string Endpoint must look like sb://<namespace>/.');
  }
  const keyName = parts.get('sharedaccesskeyname');
  const key = parts.get('sharedaccesskey');
  const signature = parts.get('sharedaccesssignature');
  if (signature && (key || keyName)) {
    throw new ConnectionStringError(
      'Connection string has both SharedAccessSignature and SharedAccessKey/SharedAccessKeyName: use one of them.',
    );
  }
  if (!signature && keyName && !key) throw new ConnectionStringError('Connection string has SharedAccessKeyName but no SharedAccessKey.');
  if (!signature && key && !keyName) throw new ConnectionStringError('Connection string has SharedAccessKey but no SharedAccessKeyName.');
  if (!signature && !key) {
    throw new ConnectionStringError('Connection string has neither SharedAccessKeyName/SharedAccessKey nor SharedAccessSignature.');
  }
  if (!parts.get('entitypath')) {
    throw new ConnectionStringError(
      'Connection string has no EntityPath (the Event Hub-compatible name); copy the whole "Event Hub-compatible endpoint" string.',
    );
  }
  let parsed: ReturnType<typeof parseEventHubConnectionString>;
  try {
    parsed = parseEventHubConnectionString(text.trim());
  } catch (error) {
    throw new ConnectionStringError(`Connection string rejected: ${(error as Error).message}`);
  }
  return {
    kind: 'eventhub',
    fullyQualifiedNamespace: parsed.fullyQualifiedNamespace,
    eventHubName: parsed.eventHubName ?? '',
    useDevelopmentEmulator: parts.get('usedevelopmentemulator') === 'true',
    usesSignature: Boolean(signature),
  };
}
