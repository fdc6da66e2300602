import {
  EventHubConsumerClient,
  latestEventPosition,
  type EventHubConsumerClientOptions,
  type ReceivedEventData,
  type Subscription,
  type SubscribeOptions,
} from '@azure/event-hubs';

import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { eventually } from '../integration/support/eventually.js';

export { eventually };

/** What a test subscription saw: events per partition, errors, close reasons. */
export interface Collected {
  events: ReceivedEventData[];
  byPartition: Map<string, ReceivedEventData[]>;
  errors: { partitionId: string; error: Error }[];
  closes: { partitionId: string; reason: string }[];
  subscription: Subscription;
  client: EventHubConsumerClient;
  close(): Promise<void>;
}

/**
 * Subscribes with the official SDK client and records everything it reports. Bodies stay raw `Buffer`s
 * (`skipParsingBodyAsJson`). `partitionId` subscribes to one partition only.
 */
export function collect(
  connectionString: string,
  options: SubscribeOptions & { consumerGroup?: string; partitionId?: string; clientOptions?: EventHubConsumerClientOptions } = {},
): Collected {
  const { consumerGroup = '$Default', partitionId, clientOptions, ...subscribeOptions } = options;
  const client = new EventHubConsumerClient(consumerGroup, connectionString, clientOptions ?? {});
  const events: ReceivedEventData[] = [];
  const byPartition = new Map<string, ReceivedEventData[]>();
  const errors: Collected['errors'] = [];
  const closes: Collected['closes'] = [];
  const handlers = {
    processEvents: (batch: ReceivedEventData[], context: { partitionId: string }): Promise<void> => {
      for (const event of batch) {
        events.push(event);
        const list = byPartition.get(context.partitionId) ?? [];
        list.push(event);
        byPartition.set(context.partitionId, list);
      }
      return Promise.resolve();
    },
    processError: (error: Error, context: { partitionId: string }): Promise<void> => {
      errors.push({ partitionId: context.partitionId, error });
      return Promise.resolve();
    },
    processClose: (reason: string, context: { partitionId: string }): Promise<void> => {
      closes.push({ partitionId: context.partitionId, reason });
      return Promise.resolve();
    },
  };
  const opts = { maxBatchSize: 100, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true, ...subscribeOptions };
  const subscription = partitionId === undefined ? client.subscribe(handlers, opts) : client.subscribe(partitionId, handlers, opts);
  return {
    events,
    byPartition,
    errors,
    closes,
    subscription,
    client,
    close: async () => {
      await subscription.close();
      await client.close();
    },
  };
}

/** A device ID for each partition of `partitionOf`, found by trying `device-<n>`. */
export function devicePerPartition(partitionIds: string[], partitionOf: (deviceId: string) => string): Map<string, string> {
  const found = new Map<string, string>();
  for (let n = 0; found.size < partitionIds.length && n < 10_000; n++) {
    const id = `device-${n}`;
    const partition = partitionOf(id);
    if (!found.has(partition)) found.set(partition, id);
  }
  return found;
}

/** What {@link useHttpApiFixture} provides: one emulator, its HTTP base URL, and a reader from `latest`. */
export interface HttpApiFixture {
  readonly emulator: Emulator;
  /** `http://127.0.0.1:<httpPort>`. */
  readonly base: string;
  readonly reader: Collected;
  /** The events read so far of one device. */
  eventsOf(deviceId: string): ReceivedEventData[];
  /** POSTs raw bytes to the emulator's HTTP API. */
  post(path: string, body: BodyInit, headers?: Record<string, string>): Promise<Response>;
}

/**
 * Registers vitest hooks for the HTTP API suites: starts one emulator (ports 0) and a reader on every partition from
 * `latest` before all tests, empties what it read after each test, closes both after all.
 */
export function useHttpApiFixture(): HttpApiFixture {
  const state: { emulator?: Emulator; reader?: Collected } = {};
  beforeAll(async () => {
    const emulator = await startEmulator();
    state.emulator = emulator;
    state.reader = collect(emulator.connectionString, { startPosition: latestEventPosition });
    await eventually(() => expect(emulator.stats().receivers).toHaveLength(4));
  });
  afterEach(() => {
    if (state.reader) state.reader.events.length = 0;
  });
  afterAll(async () => {
    await state.reader?.close();
    await state.emulator?.close();
  });
  const fixture: HttpApiFixture = {
    get emulator() {
      return state.emulator as Emulator;
    },
    get base() {
      return `http://127.0.0.1:${fixture.emulator.httpPort}`;
    },
    get reader() {
      return state.reader as Collected;
    },
    eventsOf: (deviceId) =>
      fixture.reader.events.filter((e) => e.systemProperties?.['iothub-connection-device-id'] === deviceId),
    post: (path, body, headers = {}) => fetch(`${fixture.base}${path}`, { method: 'POST', body, headers }),
  };
  return fixture;
}

/** What {@link useEmulatorCleanup} provides: emulators and readers closed after each test, newest first. */
export interface EmulatorCleanup {
  /** Starts an emulator that is closed after the test. */
  start: (options?: EmulatorOptions) => Promise<Emulator>;
  /** Reads with short retries (500 ms, 10 retries), as the fault tests' client; closed after the test. */
  read: (emulator: Emulator, options: Parameters<typeof collect>[1]) => Collected;
  /** Runs `cleanup` after the test (before what was deferred earlier). */
  defer: (cleanup: () => Promise<void>) => void;
}

/** Registers an `afterEach` that runs, newest first, every cleanup deferred through the returned functions. */
export function useEmulatorCleanup(): EmulatorCleanup {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: () => Promise<void>) => void cleanups.push(cleanup);
  return {
    defer,
    start: async (options = {}) => {
      const emulator = await startEmulator(options);
      defer(() => emulator.close());
      return emulator;
    },
    read: (emulator, options) => {
      const reader = collect(emulator.connectionString, {
        clientOptions: { retryOptions: { retryDelayInMs: 500, maxRetries: 10 } },
        ...options,
      });
      defer(() => reader.close());
      return reader;
    },
  };
}
