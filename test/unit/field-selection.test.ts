import { describe, expect, it } from 'vitest';
import { parseFieldList, selectFields } from '../../src/telemetry/field-path.js';
import { fieldSelectionRuns, MAX_SELECTIONS_PER_MESSAGE, parseFieldSelection, selectedBody } from '../../src/telemetry/field-selection.js';
import { MessageCache } from '../../src/telemetry/message-cache.js';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';
import { exportFileName, historyFormat } from '../../src/routes/api/history-export.js';

const message = (body: unknown, bodyEncoding: TelemetryMessage['bodyEncoding'] = 'json'): TelemetryMessage => ({
  deviceId: 'd', moduleId: null, enqueuedTime: '2024-05-01T12:00:00.000Z', partitionId: '0', sequenceNumber: 1, offset: '0',
  contentType: null, contentEncoding: null, messageId: null, properties: {}, creationTime: null, body, bodyEncoding,
});

describe('field selection', () => {
  it('keeps a "__proto__" path as a plain key', () => {
    const selected = selectFields(JSON.parse('{"__proto__":{"x":1}}'), parseFieldList('__proto__'));
    expect(JSON.stringify(selected)).toBe('{"__proto__":{"x":1}}');
    expect(Object.getPrototypeOf(selected)).toBe(Object.prototype);
  });

  it('keys a selection by its paths in request order', () => {
    expect(parseFieldSelection(' voltage , voltages[1],voltage').key).toBe('voltage,voltages[1]');
  });

  it('selects once per message and selection; bodies that are not JSON objects give {}', () => {
    const m = message({ a: 1, b: { c: 2 } });
    const selection = parseFieldSelection('b.c,z');
    const before = fieldSelectionRuns();
    const first = selectedBody(m, selection);
    expect(selectedBody(m, parseFieldSelection('b.c,z'))).toBe(first);
    expect(first).toEqual({ 'b.c': 2 });
    expect(fieldSelectionRuns() - before).toBe(1);
    for (const other of [message('{"a":1}', 'text'), message('YQ==', 'base64'), message([1, 2]), message(3)]) {
      expect(selectedBody(other, parseFieldSelection('a'))).toEqual({});
    }
  });

  it('keeps at most its bound of keys per message, making the rest each time', () => {
    const cache = new MessageCache<object>(2);
    const m = {};
    const made = ['a', 'b', 'c'].map((key) => cache.get(m, key, () => ({ key })));
    expect(cache.get(m, 'a', () => ({}))).toBe(made[0]);
    expect(cache.get(m, 'c', () => ({ again: true }))).toEqual({ again: true });
    expect(MAX_SELECTIONS_PER_MESSAGE).toBe(16);
  });
});

describe('history export helpers', () => {
  it.each([
    [undefined, 'text/csv', 'csv'], [undefined, 'application/x-ndjson; q=0.9, text/csv', 'csv'], [undefined, 'text/csv;q=0.4, application/x-ndjson;q=0.8', 'ndjson'], [undefined, 'text/html', 'json'],
    [undefined, 'application/json, text/csv', 'json'], [undefined, '*/*', 'json'], [undefined, undefined, 'json'],
    [undefined, 'text/csv;q=0, application/x-ndjson', 'ndjson'], [undefined, 'text/csv; q=0.5', 'csv'],
    ['ndjson', 'text/csv', 'ndjson'], ['json', 'text/csv', 'json'],
  ] as const)('format %s with Accept %s is %s', (format, accept, expected) => {
    expect(historyFormat(format, accept)).toBe(expected);
  });

  it('names the file with safe characters only', () => {
    expect(exportFileName('dev-1', '2024-05-01T12:00:00.000Z', undefined, 'csv')).toBe('dev-1-2024-05-01T12_00_00.000Z-last.csv');
    expect(exportFileName('a"b;c/ä', undefined, undefined, 'ndjson')).toBe('a_b_c__-first-last.ndjson');
  });
});
