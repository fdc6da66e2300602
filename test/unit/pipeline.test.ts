import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { TelemetryStore } from '../../src/devices/telemetry-store.js';
import { telemetryPipeline, type PipelineCount, type PipelineInput } from '../../src/telemetry/pipeline.js';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';

function msg(deviceId: string, sequenceNumber: number, partitionId = '0'): TelemetryMessage {
  return {
    deviceId, moduleId: null, enqueuedTime: new Date(1_700_000_000_000 + sequenceNumber).toISOString(), partitionId,
    sequenceNumber, offset: String(sequenceNumber * 100), contentType: null, contentEncoding: null, messageId: null,
    properties: {}, creationTime: null, body: { n: sequenceNumber }, bodyEncoding: 'json',
  };
}

function harness(watched: string[], historyLimit = 10) {
  const store = new TelemetryStore(historyLimit);
  const counts: Record<PipelineCount, number> = { received: 0, stored: 0, not_watched: 0, no_device_id: 0, non_telemetry: 0, decode_error: 0 };
  const decodeErrors: string[] = [];
  const received: string[] = [];
  const deps = {
    isWatched: (id: string) => watched.includes(id),
    store: (m: TelemetryMessage) => store.add(m),
    count: (what: PipelineCount) => void (counts[what] += 1),
    onReceived: (m: { deviceId: string; enqueuedTime: string }) => void received.push(`${m.deviceId}@${m.enqueuedTime.slice(20, 23)}`),
    onDecodeError: (m: TelemetryMessage, e: unknown) => void decodeErrors.push(`${m.partitionId}:${m.sequenceNumber} ${String(e)}`),
  };
  return { store, counts, decodeErrors, received, deps };
}

describe('telemetryPipeline', () => {
  it('stores only watched devices, in order, deduplicated, and counts everything (marbles)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const h = harness(['a', 'b']);
    const values: Record<string, PipelineInput> = {
      a: { kind: 'telemetry', message: msg('a', 1) },
      b: { kind: 'telemetry', message: msg('b', 2, '1') },
      c: { kind: 'telemetry', message: msg('c', 3) },
      d: { kind: 'telemetry', message: msg('a', 1) },
      n: { kind: 'non-telemetry', messageSource: 'twinChangeEvents', deviceId: 'a' },
      x: { kind: 'no-device-id' },
      w: { kind: 'not-watched', deviceId: 'z', enqueuedTime: '2024-01-01T00:00:00.009Z' },
      e: { kind: 'telemetry', message: { ...msg('a', 4), body: '{ Temperature: 4095}', bodyEncoding: 'text' }, decodeError: 'not JSON' },
    };
    scheduler.run(({ cold, expectObservable }) => {
      const input$ = cold('abcdnxwe|', values);
      expectObservable(telemetryPipeline(input$, h.deps)).toBe('ab-----e|', {
        a: values.a?.kind === 'telemetry' ? values.a.message : undefined,
        b: values.b?.kind === 'telemetry' ? values.b.message : undefined,
        e: values.e?.kind === 'telemetry' ? values.e.message : undefined,
      });
    });
    expect(h.counts).toEqual({ received: 8, stored: 3, not_watched: 2, no_device_id: 1, non_telemetry: 1, decode_error: 1 });
    expect(h.decodeErrors).toEqual(['0:4 not JSON']);
    // Every telemetry message's device reaches received$, also one normalize left undecoded (not-watched).
    expect(h.received).toEqual(['a@001', 'b@002', 'c@003', 'a@001', 'z@009', 'a@004']);
    expect(h.store.history('a').map((m) => m.sequenceNumber)).toEqual([1, 4]);
    expect(h.store.latest('c')).toBeUndefined();
  });

  it('keeps going after a dependency throws for one item', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const h = harness(['a']);
    const errors: unknown[] = [];
    let calls = 0;
    const deps = {
      ...h.deps,
      store: (m: TelemetryMessage) => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return h.store.add(m);
      },
      onItemError: (e: unknown) => void errors.push(e),
    };
    const one = msg('a', 1);
    const two = msg('a', 2);
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(telemetryPipeline(cold('xy|', { x: { kind: 'telemetry', message: one }, y: { kind: 'telemetry', message: two } }), deps)).toBe('-y|', { y: two });
    });
    expect(errors).toHaveLength(1);
    expect(h.store.history('a').map((m) => m.sequenceNumber)).toEqual([2]);
  });
});

describe('TelemetryStore', () => {
  it('keeps at most historyLimit messages, oldest evicted, and emits each stored one', () => {
    const store = new TelemetryStore(3);
    const emitted: number[] = [];
    store.stored$.subscribe((m) => emitted.push(m.sequenceNumber));
    for (let i = 0; i < 50; i += 1) expect(store.add(msg('a', i))).toBe(true);
    expect(store.history('a').map((m) => m.sequenceNumber)).toEqual([47, 48, 49]);
    expect(store.latest('a')?.sequenceNumber).toBe(49);
    expect(store.add(msg('a', 48))).toBe(false);
    expect(store.add(msg('a', 10, '2'))).toBe(true);
    expect(emitted).toHaveLength(51);
    store.remove('a');
    expect(store.history('a')).toEqual([]);
  });
});
