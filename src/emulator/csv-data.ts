import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/**
 * The folder of the shipped measurements (`data/` at the repository root), found by walking up from this file, so it
 * works from `src/` (tsx) and from a build output folder alike.
 * @throws Error when no `data/` folder with the simulator's files is found.
 */
export function dataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'data');
    if (existsSync(join(candidate, UCI_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Simulator data not found: no data/${UCI_FILE} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** UCI "Individual household electric power consumption" excerpt (CC BY 4.0), see data/README.md. */
export const UCI_FILE = 'uci_household_power_2006-12-16_2006-12-27.csv';
/** Linc Datasets, Dataset 01, phases L1–L3 (CC BY-SA 4.0), see data/README.md. */
export const LINC_FILES = ['L1', 'L2', 'L3'].map((phase) => `linc_dataset01_${phase}_2020-10-17T17-19Z.csv`);

/**
 * Reads one of the shipped data files (RFC 4180 CSV with a header line, as data/README.md describes them) into records
 * keyed by the header's column names, with csv-parse. Values stay the file's text (no number conversion).
 * @throws Error (from csv-parse) for malformed CSV, e.g. a row whose field count differs from the header's.
 */
export function readDataFile(name: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(join(dataDir(), name), 'utf8'), { columns: true, skip_empty_lines: true });
}
