/**
 * `npm run emulator -- [--amqp-port N] [--http-port N] [--partitions N] [--data-file F] [--simulate]
 * [--interval-ms N] [--host H] [--hub-name NAME]`: runs the local IoT hub emulator until SIGINT/SIGTERM.
 * Defaults: AMQP 5672, HTTP 8081, 4 partitions. The first stdout line is `EVENTHUB_CONNECTION_STRING=<connection
 * string>` (for `.env` or `eval`); the rest of the output is for people.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const USAGE = 'Usage: npm run emulator -- [--amqp-port N] [--http-port N] [--partitions N] [--data-file F] [--simulate] [--interval-ms N] [--host H] [--hub-name NAME]';

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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator({
    amqpPort: integer('amqp-port', values['amqp-port'], 5672),
    httpPort: integer('http-port', values['http-port'], 8081),
    partitions: integer('partitions', values.partitions, 4),
    dataFile: values['data-file'],
    host: values.host,
    hubName: values['hub-name'],
    simulate: values.simulate ? { intervalMs: integer('interval-ms', values['interval-ms'], 1000) } : false,
  });
  console.log(`EVENTHUB_CONNECTION_STRING=${emulator.connectionString}`);
  console.log(`Local IoT hub emulator (not Azure): event hub '${emulator.hubName}', partitions ${emulator.partitionIds.join(', ')}`);
  console.log(`  AMQP (Event Hub-compatible endpoint): port ${emulator.amqpPort}`);
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
