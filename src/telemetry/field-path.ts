/** At most this many fields in one selection (`fields=`). */
export const MAX_FIELDS = 64;
/** At most this many characters in one field path. */
export const MAX_FIELD_PATH_LENGTH = 256;
/** At most this many segments (names and indexes) in one field path. */
export const MAX_FIELD_PATH_DEPTH = 16;

/**
 * A path into a JSON body: `voltage`, `env.temperature`, `voltages[1]`, `a.b[0][2].c`. `text` is its canonical
 * spelling, the key of the selected value (field selection, CSV columns, aggregates); `segments` the object keys
 * (strings) and array indexes (numbers) it walks.
 */
export interface FieldPath {
  text: string;
  segments: readonly (string | number)[];
}

/** A field path or list that is not valid; `message` says why (for a 400 or an `error` message). */
export class FieldPathError extends Error {
  override readonly name = 'FieldPathError';
}

// A name is any run of characters other than `.`, `[`, `]`, `,` and whitespace; an index is `[<digits>]`.
const NAME = /^[^.[\],\s]+$/;
const TOKEN = /([^.[\],\s]+)|\[(\d{1,9})\]|(\.)/gy;

/**
 * Parses one field path (grammar: `name ( "." name | "[" digits "]" )*`, names free of `.[],` and whitespace).
 * @throws FieldPathError when empty, longer than {@link MAX_FIELD_PATH_LENGTH}, deeper than {@link MAX_FIELD_PATH_DEPTH}
 *   or not of that grammar.
 */
export function parseFieldPath(text: string): FieldPath {
  if (text.length === 0) throw new FieldPathError('a field path is empty');
  if (text.length > MAX_FIELD_PATH_LENGTH) throw new FieldPathError(`a field path is longer than ${MAX_FIELD_PATH_LENGTH} characters`);
  const segments: (string | number)[] = [];
  let expectName = true;
  let afterDot = false;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new FieldPathError(`field path "${clip(text)}" is invalid at character ${at + 1}`);
    const [, name, index, dot] = match;
    if (name !== undefined && expectName) {
      segments.push(name);
      expectName = false;
      afterDot = false;
    } else if (index !== undefined && segments.length > 0 && !afterDot) {
      segments.push(Number(index));
    } else if (dot !== undefined && !expectName) {
      expectName = true;
      afterDot = true;
    } else {
      throw new FieldPathError(`field path "${clip(text)}" is invalid at character ${at + 1}`);
    }
  }
  if (expectName) throw new FieldPathError(`field path "${clip(text)}" ends with "."`);
  if (segments.length > MAX_FIELD_PATH_DEPTH) throw new FieldPathError(`field path "${clip(text)}" is deeper than ${MAX_FIELD_PATH_DEPTH}`);
  return { text, segments };
}

/**
 * Parses a selection: a comma-separated list (`voltage,voltages[1]`, the `fields` query parameter) or an array of
 * paths (the WebSocket `fields`). Duplicates are dropped, order kept.
 * @throws FieldPathError when a path is invalid, the list is empty or longer than {@link MAX_FIELDS}.
 */
export function parseFieldList(list: string | readonly string[]): FieldPath[] {
  const texts = typeof list === 'string' ? list.split(',') : list;
  if (texts.length > MAX_FIELDS) throw new FieldPathError(`at most ${MAX_FIELDS} fields`);
  const unique = [...new Set(texts.map((text) => text.trim()))];
  if (unique.length === 1 && unique[0] === '') throw new FieldPathError('fields is empty');
  return unique.map(parseFieldPath);
}

/** The value at `path` in `body`, or `undefined` when the body lacks it (arrays by index, objects by own key). */
export function valueAt(body: unknown, path: FieldPath): unknown {
  let value: unknown = body;
  for (const segment of path.segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return undefined;
      value = value[segment];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, segment)) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
  }
  return value;
}

/**
 * A body reduced to the selected fields: `{ "<path text>": value }` for each path the body has (a field it lacks is
 * absent). Pure; the values are the body's own (not copied).
 */
export function selectFields(body: unknown, paths: readonly FieldPath[]): Record<string, unknown> {
  const selected: Record<string, unknown> = {};
  for (const path of paths) {
    const value = valueAt(body, path);
    // defineProperty: a path such as "__proto__" stays a plain key.
    if (value !== undefined) Object.defineProperty(selected, path.text, { value, enumerable: true, writable: true, configurable: true });
  }
  return selected;
}

/**
 * The paths of a body's leaves (numbers, strings, booleans, null, empty objects and arrays), in the canonical spelling
 * (`env.temperature`, `voltages[1]`), in body order; at most `limit` (the rest are left out). A scalar or array body has the
 * one path `""` (a path starts with a name). Keys that are not valid path names (containing `.[],` or whitespace) are skipped.
 */
export function leafPaths(body: unknown, limit = 1024): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, prefix: string, depth: number): void => {
    if (paths.length >= limit) return;
    if (depth < MAX_FIELD_PATH_DEPTH && value !== null && typeof value === 'object') {
      const children: [string, unknown][] = Array.isArray(value) ?
        (prefix === '' ? [] : value.map((child: unknown, i): [string, unknown] => [`${prefix}[${i}]`, child])) :
        Object.entries(value).filter(([key]) => NAME.test(key)).map(([key, child]) => [prefix === '' ? key : `${prefix}.${key}`, child]);
      if (children.length > 0) {
        for (const [path, child] of children) walk(child, path, depth + 1);
        return;
      }
    }
    paths.push(prefix);
  };
  walk(body, '', 0);
  return paths;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
