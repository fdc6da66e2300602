import { earliestEventPosition, latestEventPosition, type PartitionProperties } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { partitionStart } from '../../src/hub/start-plan.js';

const props = (o: Partial<PartitionProperties>): PartitionProperties => ({
  eventHubName: 'h', partitionId: '0', beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: 41,
  lastEnqueuedOffset: '4100', lastEnqueuedOnUtc: new Date('2026-01-01T00:00:10Z'), isEmpty: false, ...o,
});

describe('partitionStart', () => {
  it('pins latest to the last enqueued sequence number (exclusive); an empty partition starts at earliest', () => {
    expect(partitionStart(latestEventPosition, props({}))).toEqual({ position: { sequenceNumber: 41, isInclusive: false }, settled: 41 });
    expect(partitionStart(latestEventPosition, props({ isEmpty: true, lastEnqueuedSequenceNumber: -1 }))).toEqual({ position: earliestEventPosition, settled: -1 });
  });

  it('keeps earliest and times, settled before what they will deliver', () => {
    expect(partitionStart(earliestEventPosition, props({ beginningSequenceNumber: 7 }))).toEqual({ position: earliestEventPosition, settled: 6 });
    expect(partitionStart(earliestEventPosition, props({ isEmpty: true, lastEnqueuedSequenceNumber: -1 }))).toEqual({ position: earliestEventPosition, settled: -1 });
    const before = { enqueuedOn: new Date('2026-01-01T00:00:09Z') };
    const at = { enqueuedOn: new Date('2026-01-01T00:00:10Z') };
    expect(partitionStart(before, props({ beginningSequenceNumber: 3 }))).toEqual({ position: before, settled: 2 });
    expect(partitionStart(at, props({ beginningSequenceNumber: 3 }))).toEqual({ position: at, settled: 41 });
  });
});
