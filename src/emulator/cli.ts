/**
 * `npm run emulator -- [--amqp-port N] [--http-port N] [--partitions N] [--data-file F] [--simulate]
 * [--interval-ms N] [--host H] [--hub-name NAME] [--tls [--tls-cert F --tls-key F]]`: runs the local IoT hub emulator
 * until SIGINT/SIGTERM. Defaults: AMQP 5672 (5671 with `--tls`), HTTP 8081, 4 partitions. The first stdout line is
 * `EVENTHUB_CONNECTION_STRING=<connection string>` (for `.env` or `eval`); with `--tls` the second is
 * `IOTHUB_CONNECTION_STRING=HostName=...`; the rest of the output is for people.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const USAGE =
  'Usage: npm run emulator -- [--amqp-port N] [--http-port N] [--partitions N] [--data-file F] [--simulate] [--interval-ms N] ' +
  '[--host H] [--hub-name NAME] [--tls [--tls-cert F --tls-key F]]';

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new Error(`--${name} must be a whole number, got '${text}'`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'amqp-port': { type: 'string' },
      'http-port': { type: 'string' },
      partitions: { type: 'string' },
      'data-file': { type: 'string' },
      simulate: { type: 'boolean', default: false },
      'interval-ms': { type: 'string' },
      host: { type: 'string' },
      'hub-name': { type: 'string' },
      tls: { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error('--tls-cert and --tls-key go together');
  const tls = certFile && keyFile ? { certFile, keyFile } : values.tls;
  const emulator = await startEmulator({
    amqpPort: integer('amqp-port', values['amqp-port'], tls ? 5671 : 5672),
    tls,
    httpPort: integer('http-port', values['http-port'], 8081),
    partitions: integer('partitions', values.partitions, 4),
    dataFile: values['data-file'],
    host: values.host,
    hubName: values['hub-name'],
    simulate: values.simulate ? { intervalMs: integer('interval-ms', values['interval-ms'], 1000) } : false,
  });
  console.log(`EVENTHUB_CONNECTION_STRING=${emulator.connectionString}`);
  if (emulator.iotHubConnectionString) console.log(`IOTHUB_CONNECTION_STRING=${emulator.iotHubConnectionString}`);
  else console.log('  (The IoT Hub connection string entry, HostName=..., needs --tls.)');
  console.log(`Local IoT hub emulator (not Azure): event hub '${emulator.hubName}', partitions ${emulator.partitionIds.join(', ')}`);
  if (emulator.caFile) {
    console.log(`  AMQPS and AMQP over WebSocket (wss://localhost:${emulator.amqpPort}/$servicebus/websocket): port ${emulator.amqpPort}`);
    console.log(`  TLS CA certificate: ${emulator.caFile} (trust it: NODE_EXTRA_CA_CERTS=${emulator.caFile}, or HUB_CA_FILE for the WebSocket transport)`);
  } else {
    console.log(`  AMQP (Event Hub-compatible endpoint): port ${emulator.amqpPort}`);
  }
  console.log(`  Device API: POST http://${values.host ?? '127.0.0.1'}:${emulator.httpPort}/devices/{deviceId}/messages/events`);
  console.log(`  Control API: http://${values.host ?? '127.0.0.1'}:${emulator.httpPort}/_emulator/stats`);
  if (values.simulate) console.log('  Simulating household-meter-01..03 and feeder-01 (real measurements from data/)');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing the emulator`);
    setTimeout(() => process.exit(1), 5000).unref(); // a close that hangs must not keep the process alive
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Error while closing:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(1);
});
