import fc from 'fast-check';

/** Printable ASCII without space: what Node's client sends in a request target unescaped. */
export const PRINTABLE = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));

/** `%XX` for one byte, upper- or lower-case hex. */
export function percent(char: string, lower: boolean): string {
  const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${lower ? hex : hex.toUpperCase()}`;
}

/** One way of writing a character of a path: as is, `%XX`, `%xx`, or double-encoded `%25XX`. */
const charForm = fc.constantFrom('plain', 'plain', 'plain', 'upper', 'lower', 'double');

/** Rewrites each character of `path` (except the leading `/`) with a random form from {@link charForm}. */
export function encodedPath(path: string): fc.Arbitrary<string> {
  return fc.array(charForm, { minLength: path.length, maxLength: path.length }).map((forms) =>
    [...path].map((char, i) => {
      const form = i === 0 ? 'plain' : forms[i];
      if (form === 'upper') return percent(char, false);
      if (form === 'lower') return percent(char, true);
      if (form === 'double') return `%25${percent(char, false).slice(1)}`;
      return char;
    }).join(''),
  );
}

/** Structural variations of a path: dot segments, doubled or trailing slashes, `;` parameters, case, a stray `%`. */
export function pathVariant(path: string): fc.Arbitrary<string> {
  const segments = path.split('/');
  return fc.oneof(
    fc.constant(path),
    fc.constant(`${path}/`),
    fc.constant(path.replace(/^\//, '//')),
    fc.constant(`/x/..${path}`),
    fc.constant(`/.${path}`),
    fc.constant(path.replace(/\//g, '%2F').replace(/^%2F/, '/')),
    fc.constant(`${path};jsessionid=1`),
    fc.constant(path.toUpperCase()),
    fc.constant(`${path}%`),
    fc.constant(`${path}%zz`),
    fc.constant(`${path}%00`),
    fc.constant([...segments.slice(0, -1), '.', ...segments.slice(-1)].join('/')),
  );
}

/** A random path: up to 5 segments of printable ASCII, some of them percent-encoded bytes. */
export const randomPath: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.string({ unit: PRINTABLE, maxLength: 12 }).map((s) => s.replace(/[/?#]/g, '')),
    fc.constantFrom('api', '%61pi', 'API', '..', '.', '%2e%2e', 'devices', 'vendor', 'uplot', '%ff', '%c0%af')),
  { maxLength: 5 })
  .map((segments) => `/${segments.join('/')}`);
