import { readFileSync } from 'node:fs';
import rhea, { type EventContext } from 'rhea';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IOT_HUB_POLICIES, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { iotHubSasToken } from '../../src/hub/iothub/sas-token.js';

let emulator: Emulator;
let ca: string;
let hostName: string;

beforeAll(async () => {
  emulator = await startEmulator({ tls: true, partitions: 2 });
  ca = readFileSync(emulator.caFile!, 'utf8');
  hostName = `localhost:${emulator.amqpPort}`;
});
afterAll(async () => {
  await emulator.close();
});

interface Outcome {
  /** The detach's condition, description and info, when the receiver was detached. */
  detach?: { condition?: string; description?: string; info?: Record<string, unknown> };
  /** The AMQP type names of the detach info's keys as they came over the wire (`Sym8` for symbols). */
  infoKeyTypes?: string[];
  /** The connection's error, when it failed. */
  connectionError?: string;
}

/** Logs in as `<policy>@sas.root.<hub>` over AMQPS with `token` and attaches a receiver to `address`. */
function attempt(username: string, token: string, address: string): Promise<Outcome> {
  const container = rhea.create_container();
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
      try {
        connection.close();
      } catch {
        // already closed
      }
    };
    container.on('connection_open', (c: EventContext) => c.connection.open_receiver({ source: { address }, credit_window: 0 }));
    const detached = (c: EventContext) => {
      type Raw = { value: { type: { name: string } }[] | null }; // null: an error without info (written as AMQP null)
      const raw = (c.receiver as unknown as { remote: { detach: { value: { value: Raw[] }[] } } }).remote.detach.value[2]?.value[2];
      const infoKeyTypes = raw?.value?.filter((_, i) => i % 2 === 0).map((k) => k.type.name);
      done({ detach: c.receiver?.error as Outcome['detach'], ...(infoKeyTypes ? { infoKeyTypes } : {}) });
    };
    container.on('receiver_close', detached);
    container.on('receiver_error', detached);
    const failed = (c: EventContext) => done({ connectionError: String((c.error)?.message ?? (c.connection.error as { description?: string } | undefined)?.description) });
    container.on('connection_error', failed);
    container.on('disconnected', failed);
    container.on('error', () => undefined);
    const connection = container.connect({
      transport: 'tls', host: 'localhost', port: emulator.amqpPort, servername: 'localhost', ca: [ca],
      username, password: token, hostname: 'localhost', reconnect: false,
    } as never);
  });
}

const token = (policy: string, overrides: { key?: string; resource?: string; expiresAtS?: number } = {}) =>
  iotHubSasToken({
    resource: overrides.resource ?? `${hostName}/messages/events`,
    keyName: policy,
    key: overrides.key ?? IOT_HUB_POLICIES[policy]!.key,
    expiresAtS: overrides.expiresAtS ?? Date.now() / 1000 + 300,
  });

describe('the IoT hub entry', () => {
  it('has an IoT Hub connection string with the port and the iothubowner key', () => {
    expect(emulator.iotHubConnectionString).toBe(`HostName=${hostName};SharedAccessKeyName=iothubowner;SharedAccessKey=${IOT_HUB_POLICIES.iothubowner!.key}`);
    expect(emulator.connectionString).toContain(`SharedAccessKey=${IOT_HUB_POLICIES.iothubowner!.key};`);
  });

  it('redirects messages/events/$management to its Event Hub-compatible endpoint, for iothubowner and service', async () => {
    const expected = {
      condition: 'amqp:link:redirect',
      info: {
        hostname: 'localhost', 'network-host': 'localhost', port: emulator.amqpPort,
        address: `amqps://localhost:${emulator.amqpPort}/iothub-ehub-local/$management`,
      },
    };
    expect(await attempt('iothubowner@sas.root.localhost', token('iothubowner'), `amqps://${hostName}/messages/events/$management`))
      .toMatchObject({ detach: expected, infoKeyTypes: ['Sym8', 'Sym8', 'Sym8', 'Sym8'] });
    expect(await attempt('service@sas.root.localhost', token('service', { resource: hostName }), 'messages/events/$management'))
      .toMatchObject({ detach: expected });
  });

  it('refuses a policy without service connect with amqp:unauthorized-access', async () => {
    const outcome = await attempt('registryRead@sas.root.localhost', token('registryRead'), `amqps://${hostName}/messages/events/$management`);
    expect(outcome.detach?.condition).toBe('amqp:unauthorized-access');
    expect(outcome.detach?.description).toMatch(/ServiceConnect/);
  });

  it('answers SASL sys (2) to a wrong key, an expired token, another resource, an unknown policy or hub', async () => {
    const wrongKey = Buffer.from('not-the-key').toString('base64');
    const cases: [string, string][] = [
      ['iothubowner@sas.root.localhost', token('iothubowner', { key: wrongKey })],
      ['iothubowner@sas.root.localhost', token('iothubowner', { expiresAtS: Date.now() / 1000 - 1 })],
      ['iothubowner@sas.root.localhost', token('iothubowner', { resource: 'otherhub.azure-devices.net/messages/events' })],
      ['nosuchpolicy@sas.root.localhost', token('nosuchpolicy', { key: wrongKey })],
      ['iothubowner@sas.root.otherhub', token('iothubowner')],
      ['service@sas.root.localhost', token('iothubowner')],
    ];
    for (const [username, password] of cases) {
      expect(await attempt(username, password, 'messages/events/$management')).toEqual({ connectionError: 'Failed to authenticate: 2' });
    }
  });

  it('keeps SASL ANONYMOUS + $cbs for the Event Hub-compatible endpoint, whose address is not the redirect', async () => {
    const outcome = await attempt('', '', 'iothub-ehub-local/ConsumerGroups/$Default/Partitions/7');
    expect(outcome.detach?.condition).toBe('amqp:not-found');
  });
});
