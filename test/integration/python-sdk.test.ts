import { EventHubConsumerClient } from '@azure/event-hubs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type Emulator, type SendOptions, type SendResult } from '../../src/emulator/index.js';
import { devicePerPartition } from '../emulator/helpers.js';
import { commandSucceeds, skipWithoutTool } from '../support/require-tool.js';
import { runPythonReader, type PyEvent, type PyResult } from './support/python-reader.js';

const PYTHON = '/usr/bin/python3';
const skip = skipWithoutTool({
  install: "Debian's python3-azure and python3-websocket for /usr/bin/python3 (apt-get install python3-azure python3-websocket)",
  purpose: "Microsoft's Python SDK reads the emulator",
  present: () => commandSucceeds(PYTHON, ['-c', 'import azure.eventhub, websocket']),
});

/** What the test sends to the busiest partition, in order: varied bodies, typed properties, a module. */
const SENT: { body: Buffer; options: SendOptions }[] = [
  {
    body: Buffer.from('{"temperature":21.5}'),
    options: {
      contentType: 'application/json', contentEncoding: 'utf-8', messageId: 'm-1', correlationId: 'c-1',
      creationTimeUtc: '2026-01-02T03:04:05.678Z', properties: { alert: true, count: 42, ratio: 0.25, label: 'hot' },
    },
  },
  { body: Buffer.from([0x00, 0xff, 0x80, 0x01, 0x7f, 0xfe]), options: { moduleId: 'edge-module', contentType: 'application/octet-stream' } },
  { body: Buffer.from('caf\xe9', 'latin1'), options: { contentType: 'text/plain; charset=iso-8859-1', properties: { off: false } } },
  { body: Buffer.from('\ufeff{"bom":true}'), options: { contentType: 'application/json' } },
  { body: Buffer.alloc(0), options: {} },
  { body: Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7 + 3) % 256)), options: {} },
  { body: Buffer.from('123'), options: {} },
];

let emulator: Emulator;
let result: PyResult;
const sent = new Map<string, SendResult[]>();
let devices: Map<string, string>;

async function sendTo(partitionId: string, body: Buffer, options: SendOptions = {}): Promise<SendResult> {
  const r = await emulator.send(devices.get(partitionId) as string, body, options);
  sent.set(partitionId, [...(sent.get(partitionId) ?? []), r]);
  await new Promise((resolve) => setTimeout(resolve, 3)); // distinct enqueued times
  return r;
}

describe.skipIf(skip)("Microsoft's Python SDK (azure-eventhub) reads the emulator over TLS", () => {
  beforeAll(async () => {
    emulator = await startEmulator({ tls: true, partitions: 4 });
    devices = devicePerPartition(emulator.partitionIds, (id) => emulator.partitionOf(id));
    for (const { body, options } of SENT) await sendTo('0', body, options);
    for (let i = 0; i < 3; i++) await sendTo('1', Buffer.from(`owner-${i}`));
    for (let i = 0; i < 2; i++) await sendTo('2', Buffer.from(`before-${i}`));
    const a = sent.get('0') as SendResult[];
    result = await runPythonReader(PYTHON, {
      connectionString: emulator.connectionString,
      caFile: emulator.caFile,
      customEndpointAddress: `sb://localhost:${emulator.amqpPort}`,
      controlUrl: `http://127.0.0.1:${emulator.httpPort}`,
      earliest: { 0: SENT.length, 1: 3, 2: 2 },
      positions: {
        partitionId: '0', sequenceNumber: 2, offset: a[2]?.offset, enqueuedTimeMs: a[2]?.enqueuedTime.getTime(),
        latestEvent: { deviceId: devices.get('0'), body: 'latest' },
      },
      batch: { partitionId: '0', maxBatchSize: 3, count: SENT.length },
      ownerLevel: { partitionId: '1' },
      resume: { partitionId: '2', before: 2, events: [0, 1, 2].map((i) => ({ deviceId: devices.get('2'), body: `after-${i}` })) },
      lastEnqueued: { partitionId: '0' },
      deadlineSeconds: 30,
    }, 35_000);
  }, 40_000);
  afterAll(async () => {
    await emulator?.close();
  });

  it('runs every scenario to its end', () => {
    expect(result.deadlineExceeded).toBeUndefined();
    const failed = Object.entries(result).filter(([, v]) => typeof v === 'object' && v !== null && 'failed' in v);
    expect(failed).toEqual([]);
    expect(result.sdk['azure-eventhub']).toBe('5.11.0');
  });

  it('reads hub and partition properties as the emulator and the JS SDK report them', async () => {
    const ca = readFileSync(emulator.caFile as string, 'utf8');
    const js = new EventHubConsumerClient('$Default', emulator.connectionString, {
      webSocketOptions: { webSocket: class extends WebSocket { constructor(url: string, protocols?: string | string[]) { super(url, protocols, { ca }); } } },
    });
    let createdOn: Date;
    try {
      createdOn = (await js.getEventHubProperties()).createdOn;
    } finally {
      await js.close();
    }
    expect(result.properties).toMatchObject({
      eventhubName: emulator.hubName, partitionIds: ['0', '1', '2', '3'], getPartitionIds: ['0', '1', '2', '3'],
      createdAtMs: createdOn.getTime(),
    });
    for (const id of ['0', '1', '2']) {
      const last = (sent.get(id) as SendResult[]).at(-1) as SendResult; // the script's own sends come after reading
      expect(result.properties.partitions[id]).toEqual({
        eventhub_name: emulator.hubName, id, beginning_sequence_number: 0,
        last_enqueued_sequence_number: last.sequenceNumber, last_enqueued_offset: last.offset,
        last_enqueued_time_utc: last.enqueuedTime.getTime(), is_empty: false,
      });
    }
    expect(result.properties.partitions['3']).toEqual({
      eventhub_name: emulator.hubName, id: '3', beginning_sequence_number: 0, last_enqueued_sequence_number: -1,
      last_enqueued_offset: '-1', last_enqueued_time_utc: 0, is_empty: true,
    });
  });

  it('reads every event from earliest with its annotations, properties and exact body bytes', () => {
    const events = result.earliest['0'] as PyEvent[];
    expect(events.map((e) => e.sequenceNumber)).toEqual(SENT.map((_, i) => i));
    SENT.forEach(({ body, options }, i) => {
      const e = events[i] as PyEvent;
      const r = (sent.get('0') as SendResult[])[i] as SendResult;
      expect(e.bodyType).toBe('DATA');
      expect(e.bodySectionsHex).toEqual([body.toString('hex')]);
      expect(e.offset).toBe(r.offset);
      expect(e.enqueuedTimeMs).toBe(r.enqueuedTime.getTime());
      expect(e.partitionKey).toEqual({ type: 'null' });
      expect(e.contentType).toBe(options.contentType ?? null);
      expect(e.contentEncoding).toBe(options.contentEncoding ?? null);
      const sys = e.systemProperties;
      expect(sys['x-opt-sequence-number']).toEqual({ type: 'int', value: i });
      expect(sys['x-opt-offset']).toEqual(bytes(r.offset));
      expect(sys['x-opt-enqueued-time']).toEqual({ type: 'int', value: r.enqueuedTime.getTime() });
      expect(sys['iothub-enqueuedtime']).toEqual({ type: 'int', value: r.enqueuedTime.getTime() });
      expect(sys['iothub-connection-device-id']).toEqual(bytes(devices.get('0') as string));
      expect(sys['iothub-message-source']).toEqual(bytes('Telemetry'));
      expect(sys['iothub-connection-module-id']).toEqual(options.moduleId === undefined ? undefined : bytes(options.moduleId));
    });
    const first = events[0] as PyEvent;
    expect(first.messageId).toEqual({ type: 'str', value: 'm-1' });
    expect(first.correlationId).toEqual({ type: 'str', value: 'c-1' });
    expect(first.properties).toEqual({
      alert: { type: 'bool', value: true }, count: { type: 'int', value: 42 }, ratio: { type: 'float', value: 0.25 },
      label: bytes('hot'), 'iothub-creation-time-utc': bytes('2026-01-02T03:04:05.678Z'),
    });
    expect(events[2]?.properties).toEqual({ off: { type: 'bool', value: false } });
    expect(events[4]?.properties).toEqual({});
    expect(result.earliest['1']?.map((e) => Buffer.from(e.bodySectionsHex.join(''), 'hex').toString())).toEqual(['owner-0', 'owner-1', 'owner-2']);
    expect(result.earliest['2']?.map((e) => e.sequenceNumber)).toEqual([0, 1]);
  });

  it('starts at every position with exactly the right first event', () => {
    const first = (name: string) => result.positions[name]?.[0]?.sequenceNumber;
    expect(first('sequenceInclusive')).toBe(2);
    expect(first('sequenceExclusive')).toBe(3);
    expect(first('offsetInclusive')).toBe(2);
    expect(first('offsetExclusive')).toBe(3);
    expect(first('timeInclusive')).toBe(2);
    expect(first('timeExclusive')).toBe(3);
    const latest = result.latest;
    expect(latest.attached).toBe(true);
    expect(latest.events.map((e) => [e.sequenceNumber, e.bodySectionsHex])).toEqual([[SENT.length, [Buffer.from('latest').toString('hex')]]]);
  });

  it('receives in batches of at most max_batch_size, then an empty batch after max_wait_time', () => {
    expect(result.batch.events.map((e) => e.sequenceNumber)).toEqual(SENT.map((_, i) => i));
    expect(result.batch.batches.slice(0, 3)).toEqual([3, 3, 1]);
    expect(result.batch.batches.length).toBeGreaterThan(3);
    expect(result.batch.batches.slice(3).every((n) => n === 0)).toBe(true);
    expect(result.batch.errors).toEqual([]);
  });

  it('lets a higher owner level take the partition; the first receiver gets the SDK ownership-lost error', () => {
    const { first, second, receiversWhileBoth } = result.ownerLevel;
    expect(second.events.map((e) => e.sequenceNumber)).toEqual([0, 1, 2]);
    expect(first.errors[0]).toMatchObject({ type: 'ConnectionLostError', condition: 'amqp:link:stolen' });
    expect(first.closes[0]).toBe('OWNERSHIP_LOST');
    expect(receiversWhileBoth).toEqual([{ partitionId: '1', consumerGroup: 'py-owner', ownerLevel: 2 }]);
  });

  it('resumes after a disconnect fault at the next event, without gaps or repeats', () => {
    const { resume } = result;
    expect(resume.errors).toEqual([]);
    expect(resume.connectionsOpenedAfterFault).toBeGreaterThanOrEqual(1);
    expect(resume.events.map((e) => e.sequenceNumber)).toEqual([0, 1, 2, 3, 4]);
    expect(resume.events.map((e) => Buffer.from(e.bodySectionsHex.join(''), 'hex').toString()))
      .toEqual(['before-0', 'before-1', 'after-0', 'after-1', 'after-2']);
  });

  it('tracks the last enqueued event properties of the partition', () => {
    const last = (sent.get('0') as SendResult[])[SENT.length - 1] as SendResult;
    const info = result.lastEnqueued.lastEnqueued;
    expect(info).toMatchObject({ sequenceNumber: last.sequenceNumber, offset: last.offset, enqueuedTimeMs: last.enqueuedTime.getTime() });
    expect(info?.retrievalTimeMs).toBeGreaterThanOrEqual(last.enqueuedTime.getTime());
    expect(info?.retrievalTimeMs).toBeLessThanOrEqual(Date.now());
  });
});

function bytes(text: string): { type: 'bytes'; hex: string } {
  return { type: 'bytes', hex: Buffer.from(text).toString('hex') };
}
