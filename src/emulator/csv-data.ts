import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * Reads one of the shipped data files (comma-separated, a header line, LF line ends, unquoted fields, as
 * data/README.md describes them) into records keyed by the header's column names. Values stay the file's text.
 * These files are the project's own fixed-format data, not arbitrary CSV: a quote anywhere is rejected.
 * @throws Error for a quoted field or a row whose field count differs from the header's.
 */
export function readDataFile(name: string): Record<string, string>[] {
  const text = readFileSync(join(dataDir(), name), 'utf8');
  if (text.includes('"')) throw new Error(`${name}: quoted CSV fields are not expected in the shipped data`);
  const [header = '', ...lines] = text.split('\n').filter((line) => line.length > 0);
  const columns = header.split(',');
  return lines.map((line, i) => {
    const fields = line.split(',');
    if (fields.length !== columns.length) throw new Error(`${name}: row ${i + 1} has ${fields.length} fields, expected ${columns.length}`);
    return Object.fromEntries(columns.map((column, c) => [column, fields[c] as string]));
  });
}
