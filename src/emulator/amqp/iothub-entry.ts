import type { Connection, Sender } from 'rhea';
import { IOT_HUB_POLICIES, type IotHubPolicy } from './iothub-policies.js';
import { symbolKeyed, types } from './rhea.js';
import { readSasToken, safeDecode, signatureMatches } from './sas-signature.js';

/** Where the IoT hub entry sends readers: the emulator's own Event Hub-compatible endpoint. */
export interface IotHubEntryOptions {
  /** The IoT hub's host name as its connection string gives it (`localhost:<port>`, our `:port` extension). */
  hostName: string;
  /** The Event Hub-compatible endpoint's host and AMQPS port, and the event hub's name. */
  redirect: { host: string; port: number; eventHubName: string };
  /** Current time, ms since the epoch. */
  now?: () => number;
}

/**
 * The emulator's IoT Hub-style entry, as IoT Hub serves it to `az iot hub monitor-events`, IoT Explorer and the Event
 * Hubs SDK's `iothubConnectionString` sample: SASL PLAIN as `<policy>@sas.root.<hub>` with a SAS token whose `sr` is
 * the host (or `<host>/messages/events`), `se` not past and `sig` the policy key's HMAC (base64-decoded key); a
 * receiver on `messages/events/$management` is detached with `amqp:link:redirect` to the Event Hub-compatible endpoint,
 * or refused with `amqp:unauthorized-access` for a policy without service connect. A refused login gets SASL outcome
 * `sys` (2), which is what IoT Hub answers (azure-uamqp-c#113, #244; amqpnetlite#195).
 */
export class IotHubEntry {
  private readonly hubName: string;
  private readonly host: string;

  constructor(private readonly options: IotHubEntryOptions) {
    this.host = options.hostName.replace(/:\d+$/, '').toLowerCase();
    this.hubName = this.host.split('.')[0] ?? '';
  }

  /** Whether a PLAIN user name is addressed to this entry (`<policy>@sas.root.<hub>`). */
  handles(username: string): boolean {
    return /@sas\.root\./i.test(username);
  }

  /**
   * Checks a PLAIN login. @returns the policy name.
   * @throws Error with the reason (the connection then gets SASL outcome `sys`).
   */
  authenticate(username: string, password: string): string {
    const at = username.indexOf('@sas.root.');
    const policyName = username.slice(0, at);
    const hub = username.slice(at + '@sas.root.'.length).toLowerCase();
    if (hub !== this.hubName) throw new Error(`unknown IoT hub '${hub}'`);
    const policy: IotHubPolicy | undefined = IOT_HUB_POLICIES[policyName];
    if (!policy) throw new Error(`unknown policy '${policyName}'`);
    const token = readSasToken(password);
    if (!token || token.skn !== policyName) throw new Error('password is not a SAS token of this policy');
    if (token.se * 1000 <= (this.options.now ?? Date.now)()) throw new Error('SAS token expired');
    const sr = safeDecode(token.sr).toLowerCase().replace(/\/+$/, '');
    const hostName = this.options.hostName.toLowerCase();
    const resources = [hostName, `${hostName}/messages/events`, this.host, `${this.host}/messages/events`];
    if (!resources.includes(sr)) throw new Error(`SAS token is not for this hub (sr)`);
    if (!signatureMatches(token, policy.key, 'base64')) throw new Error('SAS token signature does not match the policy key');
    return policyName;
  }

  /** Whether a receiver's source address is the hub's `messages/events` (any consumer-group path below it too). */
  isEventsAddress(address: string | undefined): boolean {
    if (!address) return false;
    const path = address.replace(/^amqps?:\/\/[^/]+\//i, '').replace(/^\/+/, '');
    return /^messages\/events(\/|$)/i.test(path);
  }

  /**
   * Answers a receiver on `messages/events`: `amqp:unauthorized-access` without a service-connect login, otherwise
   * `amqp:link:redirect` with the info map (symbol keys) `hostname`, `network-host`, `port` (int), `address`.
   */
  attach(connection: Connection, sender: Sender): void {
    const username = loginOf(connection);
    const policy = this.handles(username) ? IOT_HUB_POLICIES[username.slice(0, username.indexOf('@'))] : undefined;
    if (!policy?.serviceConnect) {
      sender.close({
        condition: 'amqp:unauthorized-access',
        description: policy ? `Unauthorized: policy lacks the ServiceConnect permission for 'messages/events'.` : `Unauthorized: 'messages/events' needs a policy login (<policy>@sas.root.${this.hubName}).`,
      });
      return;
    }
    const { host, port, eventHubName } = this.options.redirect;
    sender.close({
      condition: 'amqp:link:redirect',
      description: `The link is redirected to the Event Hub-compatible endpoint of '${this.hubName}'.`,
      info: symbolKeyed({
        hostname: host,
        'network-host': host,
        port: types.wrap_int(port),
        address: `amqps://${host}:${port}/${eventHubName}/$management`,
      }),
    });
  }
}

/** The SASL user name a server connection logged in with (rhea keeps it on its SASL transport, untyped). */
function loginOf(connection: Connection): string {
  type SaslServer = { username?: string };
  const sasl = (connection as unknown as { sasl_transport?: SaslServer & { transports?: Record<number, SaslServer> } }).sasl_transport;
  return sasl?.username ?? sasl?.transports?.[3]?.username ?? '';
}
