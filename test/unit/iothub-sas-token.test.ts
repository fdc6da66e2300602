import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iotHubSasToken } from '../../src/hub/iothub/sas-token.js';
import { eventHubConnectionString, readRedirect } from '../../src/hub/iothub/redirect.js';

// @azure/core-amqp's own SAS token provider (not exported by its package map): the known answer.
const require = createRequire(import.meta.url);
const coreAmqp = dirname(require.resolve('@azure/core-amqp'));
const { createSasTokenProvider } = require(join(coreAmqp, 'auth/tokenProvider.js')) as {
  createSasTokenProvider: (this: void, data: { sharedAccessKeyName: string; sharedAccessKey: string }) => { getToken(audience: string): Promise<{ token: string }> };
};

describe('IoT Hub SAS token', () => {
  it('equals core-amqp\'s token for the key whose text is the decoded IoT Hub key, with the same expiry', async () => {
    const keyText = 'local-iothub-emulator-not-a-secret';
    const resource = 'myhub.azure-devices.net:5671/messages/events';
    const before = Math.floor(Date.now() / 1000) + 3600;
    const { token: expected } = await createSasTokenProvider({ sharedAccessKeyName: 'iot hub/owner', sharedAccessKey: keyText }).getToken(resource);
    const se = Number(/&se=(\d+)/.exec(expected)?.[1]);
    expect(se - before).toBeLessThanOrEqual(1);
    const token = iotHubSasToken({ resource, keyName: 'iot hub/owner', key: Buffer.from(keyText).toString('base64'), expiresAtS: se });
    expect(token).toBe(expected);
    expect(token).toMatch(/^SharedAccessSignature sr=myhub\.azure-devices\.net%3A5671%2Fmessages%2Fevents&sig=[A-Za-z0-9%]+&se=\d+&skn=iot%20hub%2Fowner$/);
  });

  it('signs with the base64-decoded key (a fixed known answer), flooring the expiry', () => {
    const token = iotHubSasToken({ resource: 'h.azure-devices.net/messages/events', keyName: 'service', key: Buffer.from('k').toString('base64'), expiresAtS: 1700000000.9 });
    expect(token).toBe('SharedAccessSignature sr=h.azure-devices.net%2Fmessages%2Fevents&sig=zQcwsvN6QS084%2FKNbSH%2Bip1IQWQX7jMFLM4mH48RKI8%3D&se=1700000000&skn=service');
  });
});

describe('IoT Hub redirect', () => {
  const endpoint = { kind: 'iothub', hostName: 'myhub.azure-devices.net', host: 'myhub.azure-devices.net', port: null, hubName: 'myhub', sharedAccessKeyName: 'service', sharedAccessKey: 'a2V5' } as const;

  it('reads hostname, port and the event hub name from address, and builds the Event Hub-compatible string', () => {
    const target = readRedirect({ hostname: 'ihsuprodblres055dednamespace.servicebus.windows.net', 'network-host': '10.0.0.1', port: 5671, address: 'amqps://ihsuprodblres055dednamespace.servicebus.windows.net:5671/iothub-ehub-myhub-1234-abcdef/$management' });
    expect(target).toEqual({ hostname: 'ihsuprodblres055dednamespace.servicebus.windows.net', port: 5671, eventHubName: 'iothub-ehub-myhub-1234-abcdef' });
    expect(eventHubConnectionString(target!, endpoint)).toBe('Endpoint=sb://ihsuprodblres055dednamespace.servicebus.windows.net/;SharedAccessKeyName=service;SharedAccessKey=a2V5;EntityPath=iothub-ehub-myhub-1234-abcdef');
    expect(eventHubConnectionString({ hostname: 'localhost', port: 41234, eventHubName: 'iothub-ehub-local' }, endpoint)).toBe('Endpoint=sb://localhost:41234/;SharedAccessKeyName=service;SharedAccessKey=a2V5;EntityPath=iothub-ehub-local');
  });

  it('refuses a redirect without an address naming the event hub', () => {
    expect(readRedirect({ hostname: 'x.servicebus.windows.net', port: 5671 })).toBeNull();
    expect(readRedirect({ hostname: 'x.servicebus.windows.net', address: 'amqps://x:5671/' })).toBeNull();
    expect(readRedirect(undefined)).toBeNull();
  });
});
