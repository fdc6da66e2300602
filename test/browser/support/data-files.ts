import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** Rows of a file in data/ as objects keyed by its header. */
export function dataRows(file: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(join('data', file), 'utf8'), { columns: true, skip_empty_lines: true });
}

/** A downloaded CSV as its header and rows (string cells). */
export function csvFile(path: string): { header: string[]; rows: string[][] } {
  const [header = [], ...rows]: string[][] = parse(readFileSync(path, 'utf8'));
  return { header, rows };
}
