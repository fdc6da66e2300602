import type { Checkpoint, ReceivedEventData } from '@azure/event-hubs';
import { of, throwError, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { CheckpointNotWrittenError } from '../../src/telemetry/checkpoint-not-written.js';
import { ingestPipeline, type HubBatch, type IngestDeps, type PipelineCount } from '../../src/telemetry/ingest-pipeline.js';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';

const T0 = Date.UTC(2026, 0, 1);

function event(deviceId: string | null, sequenceNumber: number, body = `{"n":${sequenceNumber}}`, source = 'Telemetry'): ReceivedEventData {
  return {
    body: Buffer.from(body), enqueuedTimeUtc: new Date(T0 + sequenceNumber), sequenceNumber, offset: String(sequenceNumber * 10),
    contentType: 'application/json', properties: {},
    systemProperties: { ...(deviceId ? { 'iothub-connection-device-id': deviceId } : {}), 'iothub-message-source': source },
  } as unknown as ReceivedEventData;
}

function batch(partitionId: string, ...events: ReceivedEventData[]): HubBatch {
  const last = events.at(-1);
  const checkpoint: Checkpoint | null = last
    ? { fullyQualifiedNamespace: 'ns', eventHubName: 'hub', consumerGroup: '$Default', partitionId, sequenceNumber: last.sequenceNumber, offset: String(last.offset) }
    : null;
  return { partitionId, events, checkpoint };
}

/** Matches a message by some of its fields. */
const like = (fields: Partial<TelemetryMessage>): TelemetryMessage => expect.objectContaining(fields) as TelemetryMessage;

const pos = (m: TelemetryMessage) => `${m.deviceId}@${m.partitionId}:${m.sequenceNumber}`;

function harness(watched: string[], append: IngestDeps['append']) {
  const counts: Partial<Record<PipelineCount, number>> = {};
  const seen: string[] = [];
  const errors: string[] = [];
  const deps: IngestDeps = {
    isWatched: (id) => watched.includes(id),
    append,
    count: (what, n = 1) => void (counts[what] = (counts[what] ?? 0) + n),
    onReceived: (s) => void seen.push(s.deviceId),
    onItemError: (e) => void errors.push(String(e)),
  };
  return { deps, counts, seen, errors };
}

describe('ingestPipeline', () => {
  it('appends each batch\'s watched messages with its checkpoint, in order within a partition, partitions side by side, and emits what was stored (marbles)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, hot, expectObservable }) => {
      const appended: Array<{ messages: string[]; checkpoints: number[] }> = [];
      // The store answers each append 2 frames later and skips sequence number 2 as a duplicate.
      const h = harness(['a', 'b'], (messages, checkpoints) => {
        appended.push({ messages: messages.map(pos), checkpoints: checkpoints.map((c) => c.sequenceNumber) });
        return cold('--x|', { x: messages.filter((m) => m.sequenceNumber !== 2) }) as Observable<TelemetryMessage[]>;
      });
      const batches = {
        p: batch('0', event('a', 1), event('z', 2), event(null, 3), event('a', 4, '{"n":4}', 'twinChangeEvents')),
        r: batch('0', event('a', 6)),
        q: batch('1', event('b', 2), event('b', 5)),
      };
      // r (partition 0) arrives while p (partition 0) is being appended: it waits for p's append to complete (frame 4).
      // q (partition 1) arrives at the same time and is appended at once, beside p.
      const expected = { a: like({ deviceId: 'a', sequenceNumber: 1 }), b: like({ deviceId: 'b', sequenceNumber: 5 }), c: like({ deviceId: 'a', sequenceNumber: 6 }) };
      const hubEvents: string[] = [];
      h.deps.onHubEvent = (e) => void hubEvents.push(`${e.eventType} ${e.deviceId}@${e.position}`);
      expectObservable(ingestPipeline(hot('-p(rq)|', batches), h.deps)).toBe('---ab-c|', expected);
      scheduler.flush();
      expect(appended).toEqual([
        { messages: ['a@0:1'], checkpoints: [4] },
        { messages: ['b@1:2', 'b@1:5'], checkpoints: [5] },
        { messages: ['a@0:6'], checkpoints: [6] },
      ]);
      // The watched device's twin change is a hub event, kept apart: never appended with the telemetry.
      expect(h.counts).toEqual({ received: 7, not_watched: 1, no_device_id: 1, hub_event: 1, stored: 3 });
      expect(hubEvents).toEqual(['twinChangeEvents a@0:4']);
      expect(h.seen).toEqual(['a', 'z', 'b', 'b', 'a']);
    });
  });

  it('reports a failed append and goes on with the next batch, settling each batch once', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, expectObservable }) => {
      let calls = 0;
      const h = harness(['a'], (messages) => (++calls === 1 ? throwError(() => new Error('disk full')) : of(messages)));
      const settled: string[] = [];
      const first = { ...batch('0', event('a', 1)), settled: () => void settled.push('first') };
      const second = { ...batch('0', event('a', 2)), settled: () => void settled.push('second') };
      expectObservable(ingestPipeline(hot('-f-s|', { f: first, s: second }), h.deps)).toBe('---m|', {
        m: like({ sequenceNumber: 2 }),
      });
      scheduler.flush();
      expect(h.errors).toEqual(['Error: disk full']);
      expect(settled).toEqual(['first', 'second']);
    });
  });

  it('emits what was stored when only the checkpoint was not written, and settles the batch with that error', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, expectObservable }) => {
      const h = harness(['a'], (messages) => throwError(() => new CheckpointNotWrittenError(messages, new Error('lease held'))));
      const failures: unknown[] = [];
      const only = { ...batch('0', event('a', 1), event('a', 2)), settled: (error?: unknown) => void failures.push(error) };
      expectObservable(ingestPipeline(hot('-f----|', { f: only }), h.deps)).toBe('-(mn)-|', {
        m: like({ sequenceNumber: 1 }), n: like({ sequenceNumber: 2 }),
      });
      scheduler.flush();
      expect(h.counts.stored).toBe(2);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(CheckpointNotWrittenError);
      expect(h.errors).toEqual(['CheckpointNotWrittenError: checkpoint not written: lease held']);
    });
  });

  it('a throwing dependency drops only that event', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, expectObservable }) => {
      const h = harness(['a'], (messages) => of(messages));
      h.deps.isWatched = (id) => {
        if (id === 'boom') throw new Error('registry failed');
        return id === 'a';
      };
      expectObservable(ingestPipeline(hot('-x|', { x: batch('0', event('boom', 1), event('a', 2)) }), h.deps)).toBe('-m|', {
        m: like({ deviceId: 'a', sequenceNumber: 2 }),
      });
      scheduler.flush();
      expect(h.errors).toEqual(['Error: registry failed']);
    });
  });
});
