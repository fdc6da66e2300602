/** A shared access policy of the emulator's IoT hub entry. */
export interface IotHubPolicy {
  /** Its key, base64 (a public dummy: the emulator is not a security boundary). */
  key: string;
  /** Whether it grants *service connect* (reading `messages/events`). */
  serviceConnect: boolean;
}

const dummyKey = (name: string): string => Buffer.from(`local-iothub-emulator-${name}-not-a-secret`).toString('base64');

/**
 * The policies IoT Hub creates for a new hub, as far as the emulator needs them: `iothubowner` (all permissions; its
 * key is the emulator's connection-string key), `service` (service connect) and `registryRead` (registry read only:
 * attaching to `messages/events` is refused with `amqp:unauthorized-access`, as the real hub does).
 */
export const IOT_HUB_POLICIES: Readonly<Record<string, IotHubPolicy>> = {
  iothubowner: { key: Buffer.from('local-iothub-emulator-not-a-secret').toString('base64'), serviceConnect: true },
  service: { key: dummyKey('service'), serviceConnect: true },
  registryRead: { key: dummyKey('registryRead'), serviceConnect: false },
};
