import { ConnectionStringError } from './connection-string-error.js';

/** The parts of an IoT Hub connection string (`HostName=...`) the endpoint discovery needs. */
export interface IotHubEndpoint {
  kind: 'iothub';
  /** `HostName` as given: `<hub>.azure-devices.net`, or `host:port` (our extension, for the local emulator). */
  hostName: string;
  /** `hostName` without the port. */
  host: string;
  /** The port of `hostName`; `null` = the transport's default (5671 for AMQPS, 443 for WebSocket). */
  port: number | null;
  /** The IoT hub's name: the first DNS label of `host`. */
  hubName: string;
  /** The shared access policy, e.g. `service` or `iothubowner`. */
  sharedAccessKeyName: string;
  /** The policy's key (base64). A secret: never log it. */
  sharedAccessKey: string;
}

const POLICY_HELP =
  'Copy a shared access policy\'s connection string instead: Azure portal → your IoT hub → Security settings → ' +
  'Shared access policies → service (or iothubowner) → Primary connection string, or ' +
  '`az iot hub connection-string show --hub-name <hub> --policy-name service`.';

/**
 * Validates an IoT Hub connection string (`HostName=<hub>.azure-devices.net;SharedAccessKeyName=<policy>;
 * SharedAccessKey=<base64 key>`, as the portal's "Shared access policies" page and `az iot hub connection-string
 * show` give it). `HostName` may carry `:port` (an extension of ours for the local emulator). `parts` holds the
 * string's `key=value` pairs with lower-case keys. Follows IoT Hub's "Control access to IoT Hub" documentation.
 * @throws ConnectionStringError naming the missing or wrong part and what to copy instead (a device or module
 *   connection string, a `SharedAccessSignature` instead of a key, a key that is not base64); never quotes the key.
 */
export function parseIotHubConnectionString(parts: ReadonlyMap<string, string>): IotHubEndpoint {
  if (parts.has('deviceid') || parts.has('moduleid')) {
    throw new ConnectionStringError(
      `This is a device connection string (${parts.has('moduleid') ? 'ModuleId' : 'DeviceId'}=...): it lets one device send, not read the hub's telemetry. ${POLICY_HELP}`,
    );
  }
  if (parts.has('sharedaccesssignature')) {
    throw new ConnectionStringError(`An IoT Hub connection string with a SharedAccessSignature cannot be used: the gateway needs the policy's SharedAccessKey. ${POLICY_HELP}`);
  }
  const hostName = parts.get('hostname') ?? '';
  const match = /^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::(\d{1,5}))?$/.exec(hostName);
  const port = match?.[5] === undefined ? null : Number(match[5]);
  if (!match || (port !== null && (port < 1 || port > 65535))) {
    throw new ConnectionStringError('IoT Hub connection string HostName must look like <hub>.azure-devices.net (optionally :<port>).');
  }
  const sharedAccessKeyName = parts.get('sharedaccesskeyname') ?? '';
  const sharedAccessKey = parts.get('sharedaccesskey') ?? '';
  if (!sharedAccessKeyName) throw new ConnectionStringError(`IoT Hub connection string has no SharedAccessKeyName. ${POLICY_HELP}`);
  if (!sharedAccessKey) throw new ConnectionStringError(`IoT Hub connection string has no SharedAccessKey. ${POLICY_HELP}`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sharedAccessKey) || sharedAccessKey.length % 4 !== 0) {
    throw new ConnectionStringError(`IoT Hub connection string SharedAccessKey is not base64 (was it cut off?). ${POLICY_HELP}`);
  }
  const host = match[1] as string;
  return { kind: 'iothub', hostName, host, port, hubName: host.split('.')[0] as string, sharedAccessKeyName, sharedAccessKey };
}
