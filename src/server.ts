/**
 * The gateway's entry point (`npm start`): the only file that listens. Loads and validates the configuration, starts
 * the embedded emulator with simulated devices when no `EVENTHUB_CONNECTION_STRING` is set (demo mode), builds the
 * app, listens, prints the banner (the only place the API key appears), and shuts down in order, once, on
 * SIGINT/SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { buildApp } from './app.js';
import { renderBanner } from './banner.js';
import { API_KEY_FILE, type ApiKeySource } from './config/api-key.js';
import { parseConnectionString } from './config/connection-string.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { loadConfig } from './config/load-config.js';
import { SIMULATED_DEVICE_IDS, SIMULATED_DEVICE_UNITS, simulateOnceRead, startEmulator, type Emulator } from './emulator/index.js';
import { createLogger } from './plugins/logger.js';

/** Where the key in force came from, as the banner says it (`file`: the key file's path). */
const keyOrigin = (source: ApiKeySource, file: string): string =>
  ({ env: 'from API_KEY', generated: `generated now and stored in ${file}`, stored: `from ${file}`, disabled: 'authentication off' })[source];

/** The URL a local client uses: wildcard hosts become loopback, IPv6 gets brackets. */
function clientUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = await loadConfig();
  } catch (error) {
    process.stderr.write(`Configuration error: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const { config, apiKeySource, warnings } = loaded;
  const tty = process.stdout.isTTY === true;
  const logger = createLogger(config.logLevel, undefined, config.logFormat ?? (tty ? 'pretty' : 'json'), tty);
  for (const warning of warnings) logger.warn(warning);

  let emulator: Emulator | undefined;
  let runtime: GatewayConfig = config;
  let initialDeviceIds: readonly string[] = [];
  if (!config.connectionString) {
    // The simulation starts once the gateway reads every partition (see below): its devices' connect events are read.
    emulator = await startEmulator();
    // Demo registrations live apart (STATE_DIR/demo) so they never follow the user onto a real hub.
    runtime = {
      ...config,
      connectionString: emulator.connectionString,
      defaultDeviceId: config.defaultDeviceId ?? 'household-meter-01',
      stateDir: join(config.stateDir, 'demo'),
      // The embedded emulator speaks plain AMQP on loopback: no WebSocket, no proxy.
      hubTransport: 'amqp',
      httpsProxy: null,
    };
    if (config.hubTransport === 'websockets' || config.httpsProxy) logger.warn('demo mode reads the embedded emulator over plain AMQP: HUB_TRANSPORT and HTTPS_PROXY apply to a real hub only');
    initialDeviceIds = SIMULATED_DEVICE_IDS;
    logger.info(
      `demo mode: no EVENTHUB_CONNECTION_STRING, running on the local emulator (AMQP port ${emulator.amqpPort}; ` +
        `device API http://127.0.0.1:${emulator.httpPort}/devices/<deviceId>/messages/events)`,
    );
  }
  const demo = emulator !== undefined;
  const app = buildApp(runtime, { logger, initialDeviceIds, initialDeviceUnits: demo ? SIMULATED_DEVICE_UNITS : {}, demo });

  let stopSimulation = (): void => undefined;
  let shutdown: Promise<void> | undefined;
  const stop = (signal: string) =>
    (shutdown ??= (async () => {
      logger.info(`${signal}: shutting down`);
      const force = setTimeout(() => process.exit(1), 10_000).unref();
      try {
        stopSimulation();
        await app.close();
        await emulator?.close();
      } catch (error) {
        logger.error(`shutdown failed: ${(error as Error).message}`);
      }
      clearTimeout(force);
      process.exit(0);
    })());
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    await app.ready();
  } catch (error) {
    logger.fatal(`cannot start: ${(error as Error).message}`);
    await emulator?.close();
    process.exit(1);
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (the port is taken: set PORT to a free one)' : '';
    logger.fatal(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}${inUse}`);
    await emulator?.close();
    process.exit(1);
  }
  if (emulator) stopSimulation = simulateOnceRead(emulator);
  const port = (app.server.address() as AddressInfo).port;
  const endpoint = config.connectionString ? parseConnectionString(config.connectionString) : undefined;
  process.stdout.write(
    renderBanner({
      source: endpoint?.kind === 'eventhub'
        ? {
            kind: 'hub',
            namespace: endpoint.fullyQualifiedNamespace,
            eventHubName: endpoint.eventHubName,
            developmentEmulator: endpoint.useDevelopmentEmulator,
          }
        : endpoint
          ? { kind: 'hub', namespace: endpoint.hostName, eventHubName: 'messages/events (IoT Hub connection string)' }
          : { kind: 'emulator', devices: initialDeviceIds, deviceApiUrl: emulator ? `http://127.0.0.1:${emulator.httpPort}` : undefined },
      url: clientUrl(config.host, port),
      apiKey: config.apiKey,
      apiKeyOrigin: keyOrigin(apiKeySource, resolve(config.stateDir, API_KEY_FILE)),
      exampleDevice: runtime.defaultDeviceId,
    }),
  );
}

await main();
