import { createHmac } from 'node:crypto';

/** What an IoT Hub SAS token is made of. */
export interface IotHubSasTokenInput {
  /** The resource URI the token grants, e.g. `<HostName>/messages/events` (not yet URL-encoded). */
  resource: string;
  /** The shared access policy's name (`skn`). */
  keyName: string;
  /** The policy's key, base64 as the connection string carries it. A secret. */
  key: string;
  /** Expiry (`se`), in SECONDS since the Unix epoch. */
  expiresAtS: number;
}

/**
 * An IoT Hub SAS token: `SharedAccessSignature sr=<url-encoded resource>&sig=<url-encoded base64 HMAC-SHA256>&se=
 * <expiry s>&skn=<policy>`, the HMAC keyed with the base64-DECODED key over `<url-encoded resource>\n<expiry>`, as
 * IoT Hub's "Control access to IoT Hub" documentation and the Event Hubs SDK's `iothubConnectionString` sample build it
 * (Event Hubs' own tokens key the HMAC with the key text instead). A secret: never log it.
 */
export function iotHubSasToken(input: IotHubSasTokenInput): string {
  const sr = encodeURIComponent(input.resource);
  const se = Math.floor(input.expiresAtS);
  const digest = createHmac('sha256', Buffer.from(input.key, 'base64')).update(`${sr}\n${se}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(digest)}&se=${se}&skn=${encodeURIComponent(input.keyName)}`;
}
