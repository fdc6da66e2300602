import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** Rows of a file in data/ as objects keyed by its header. */
export function dataRows(file: string): Record<string, string>[] {
  return parse(readFileSync(join('data', file), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** A downloaded CSV as its header and rows (string cells). */
export function csvFile(path: string): { header: string[]; rows: string[][] } {
  const [header = [], ...rows] = parse(readFileSync(path, 'utf8')) as string[][];
  return { header, rows };
}
