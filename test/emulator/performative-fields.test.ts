import rhea, { type Connection, type EventContext, type Receiver } from 'rhea';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from './helpers.js';

/** Fields per performative (AMQP 1.0 §2.7). */
const FIELDS: Record<string, number> = { open: 10, begin: 8, attach: 14, flow: 11, transfer: 11, disposition: 6, detach: 3, end: 1, close: 1 };

/** Index of the `error` field of detach, end and close. */
const ERROR_FIELD: Record<string, number> = { detach: 2, end: 0, close: 0 };

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ partitions: 2 });
});
afterAll(async () => {
  await emulator.close();
});

interface Seen {
  /** Field counts of each received performative, by name. */
  fields: Map<string, Set<number>>;
  /** Field counts of the errors carried by detach, end and close. */
  errorFields: number[];
  open: { max_frame_size?: number; channel_max?: number; idle_time_out?: number };
  handleMax: unknown[];
}

/** A plain rhea client that records the list length of every performative the emulator writes. */
function recordingConnection(): { connection: Connection; seen: Seen } {
  const connection = rhea.create_container().connect({ host: '127.0.0.1', port: emulator.amqpPort, reconnect: false });
  const seen: Seen = { fields: new Map(), errorFields: [], open: {}, handleMax: [] };
  const target = connection as unknown as Record<string, (frame: { performative: { value: unknown[] } & Record<string, unknown> }) => void>;
  for (const name of Object.keys(FIELDS)) {
    const handle = target[`on_${name}`]?.bind(connection) as (typeof target)[string];
    target[`on_${name}`] = (frame) => {
      const counts = seen.fields.get(name) ?? new Set<number>();
      counts.add(frame.performative.value.length);
      seen.fields.set(name, counts);
      const error = frame.performative.value[ERROR_FIELD[name] ?? -1] as { value?: unknown[] } | undefined;
      if (error?.value) seen.errorFields.push(error.value.length);
      if (name === 'open') seen.open = frame.performative as Seen['open'];
      if (name === 'begin') seen.handleMax.push(frame.performative.handle_max);
      handle(frame);
    };
  }
  return { connection, seen };
}

function closeConnection(connection: Connection): Promise<void> {
  return new Promise((resolve) => {
    connection.once('connection_close', () => resolve());
    connection.once('disconnected', () => resolve());
    connection.close();
  });
}

describe('the frames the emulator writes', () => {
  it('carry every field of each performative and of its errors, and the limits the service announces', async () => {
    const deviceId = 'fields-device';
    const partitionId = emulator.partitionOf(deviceId);
    await emulator.send(deviceId, 'one');
    const { connection, seen } = recordingConnection();
    const address = `amqps://localhost:${emulator.amqpPort}/${emulator.hubName}/ConsumerGroups/$Default/Partitions/${partitionId}`;
    const received: string[] = [];
    const open = (ownerLevel: number): Receiver => {
      const receiver = connection.open_receiver({
        source: { address, filter: { 'apache.org:selector-filter:string': rhea.types.wrap_described("amqp.annotation.x-opt-offset > '-1'", 0x468c00000004) } },
        properties: { 'com.microsoft:epoch': rhea.types.wrap_long(ownerLevel) },
      });
      receiver.on('message', (context: EventContext) => received.push((context.message as { body: { content: Buffer } }).body.content.toString()));
      return receiver;
    };
    // A $cbs request without reply_to (as Microsoft's Python SDK sends it) is answered on the receiver of that node.
    const replies: unknown[] = [];
    connection.open_receiver({ source: { address: '$cbs' } }).on('message', (context: EventContext) => replies.push(context.message?.application_properties?.['status-code']));
    connection.open_sender({ target: { address: '$cbs' } }).send({
      message_id: 0,
      body: `SharedAccessSignature sr=x&sig=y&se=${Math.floor(Date.now() / 1000) + 60}&skn=iothubowner`,
      application_properties: { operation: 'put-token', name: `sb://localhost/${emulator.hubName}`, type: 'servicebus.windows.net:sastoken' },
    });
    await eventually(() => expect(replies).toEqual([200]));
    const first = open(1);
    const stolen = new Promise<string | undefined>((resolve) => first.once('receiver_error', (context: EventContext) => resolve((context.receiver?.error as { condition?: string } | undefined)?.condition)));
    first.on('receiver_error', () => undefined);
    await eventually(() => expect(received).toEqual(['one']));
    const second = open(2);
    expect(await stolen).toBe('amqp:link:stolen');
    await eventually(() => expect(received).toEqual(['one', 'one']));
    second.close();
    await eventually(() => expect(seen.fields.get('detach')?.size).toBeGreaterThan(0));
    await closeConnection(connection);
    for (const [name, count] of Object.entries(FIELDS)) {
      if (name === 'end') continue; // rhea closes the connection without ending its sessions first
      expect({ name, counts: [...(seen.fields.get(name) ?? [])] }).toEqual({ name, counts: [count] });
    }
    expect(seen.errorFields).toEqual(seen.errorFields.map(() => 3));
    expect(seen.errorFields.length).toBeGreaterThan(0);
    expect(seen.open).toMatchObject({ max_frame_size: 65_536, channel_max: 4_999, idle_time_out: 240_000 });
    expect(seen.handleMax).toEqual([262_143]);
  });
});
