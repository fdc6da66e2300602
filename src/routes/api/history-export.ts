import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import accepts from 'accepts';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import type { HistoryFormat } from '../../schemas/telemetry.js';
import { FieldPathError, leafPaths, parseFieldPath, valueAt, type FieldPath } from '../../telemetry/field-path.js';
import { withSelectedBody, type FieldSelection } from '../../telemetry/field-selection.js';
import type { TelemetryMessage } from '../../telemetry/telemetry-message.js';

/** At most this many CSV columns besides `enqueuedTime` (the union of many bodies' paths could be unbounded). */
export const MAX_EXPORT_COLUMNS = 1024;

const MEDIA_TYPES: Record<string, HistoryFormat> = { 'application/json': 'json', 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' };

/**
 * The history route's answer format: `format` when given, else the best of `application/json` / `text/csv` /
 * `application/x-ndjson` by the `Accept` header (content negotiation by `accepts`: weights ranked, `q=0` refused,
 * RFC 9110 §12.5.1), else `json` (also when none of them is acceptable).
 */
export function historyFormat(format: HistoryFormat | undefined, accept: string | undefined): HistoryFormat {
  if (format) return format;
  const request = { headers: accept === undefined ? {} : { accept } } as IncomingMessage;
  const type = accepts(request).type(Object.keys(MEDIA_TYPES));
  return (typeof type === 'string' && MEDIA_TYPES[type]) || 'json';
}

/** `<deviceId>-<since>-<until>.<ext>` with every character outside `A-Za-z0-9._-` replaced by `_`. */
export function exportFileName(deviceId: string, since: string | undefined, until: string | undefined, ext: string): string {
  const name = `${deviceId}-${since ?? 'first'}-${until ?? 'last'}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${name}.${ext}`;
}

/**
 * Sends `items` (oldest first) as a streamed CSV or NDJSON attachment (`Content-Disposition: attachment; filename=…`).
 * NDJSON: one stored message a line (its body reduced to `selection` when given). CSV (csv-stringify, header row):
 * `enqueuedTime`, then the selection's paths, or the union of the JSON object bodies' leaf paths in natural order
 * (`voltages[2]` before `voltages[10]`, at most {@link MAX_EXPORT_COLUMNS}); a cell is the value's text (objects and
 * arrays as JSON), empty when the message lacks the field or it is `null`.
 */
export function sendHistoryExport(
  reply: FastifyReply,
  items: readonly TelemetryMessage[],
  format: 'csv' | 'ndjson',
  selection: FieldSelection | undefined,
  fileName: string,
): FastifyReply {
  void reply.header('content-disposition', `attachment; filename="${fileName}"`);
  if (format === 'ndjson') {
    const lines = function* (): Generator<string> {
      for (const message of items) yield `${JSON.stringify(withSelectedBody(message, selection))}\n`;
    };
    return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines()));
  }
  const columns = selection ? [...selection.paths] : bodyColumns(items);
  const rows = function* (): Generator<string[]> {
    for (const message of items) {
      yield [message.enqueuedTime, ...columns.map((path) => cell(valueAt(message.body, path)))];
    }
  };
  const csv = Readable.from(rows()).pipe(stringify({ header: true, columns: ['enqueuedTime', ...columns.map((path) => path.text)] }));
  return reply.type('text/csv; charset=utf-8').send(csv);
}

function bodyColumns(items: readonly TelemetryMessage[]): FieldPath[] {
  const texts = new Set<string>();
  for (const { body, bodyEncoding } of items) {
    if (bodyEncoding !== 'json' || typeof body !== 'object' || body === null || Array.isArray(body)) continue;
    for (const text of leafPaths(body)) {
      if (texts.size >= MAX_EXPORT_COLUMNS) break;
      texts.add(text);
    }
  }
  const paths: FieldPath[] = [];
  for (const text of [...texts].sort(naturalOrder)) {
    try {
      paths.push(parseFieldPath(text));
    } catch (error) {
      if (!(error instanceof FieldPathError)) throw error; // a key too long to be a field path: not a column
    }
  }
  return paths;
}

const collator = new Intl.Collator('en', { numeric: true });
function naturalOrder(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
