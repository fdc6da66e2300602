import { DEVICE_ID_MAX_LENGTH, validateDeviceId } from '../schemas/device-id.js';

/** A compiled device ID pattern: `test(deviceId)` is true when the whole, case-sensitive ID matches. */
export type DevicePatternMatcher = (deviceId: string) => boolean;

/** Prefix of a pattern's key in the registration store: `/` is in no device ID, so no registration collides. */
const PATTERN_KEY_PREFIX = 'pattern/';

/**
 * Checks a device ID pattern: 1–128 characters a device ID may hold (`*` and `?` among them; `*` alone watches every
 * device, bounded by `MAX_PATTERN_DEVICES`).
 * @returns `undefined` when valid, else what is wrong.
 */
export function validateDevicePattern(pattern: string): string | undefined {
  if (pattern.length > DEVICE_ID_MAX_LENGTH) return `deviceIdPattern is ${pattern.length} characters long; at most ${DEVICE_ID_MAX_LENGTH}`;
  const problem = validateDeviceId(pattern);
  return problem && `invalid deviceIdPattern: ${problem.replace(/^device ID/, 'pattern')}`;
}

/**
 * Compiles a glob (`*` any run of characters, `?` exactly one; every other character matches only itself). Matched by
 * the classic wildcard scan (back to the last `*` on a mismatch), O(pattern × ID) at worst: picomatch's regular
 * expression backtracks exponentially in the stars (`*a*a*a*a*a*b` against 128 `a`s took 23 s of blocked event loop).
 * @throws Error when the pattern is not valid (see {@link validateDevicePattern}).
 */
export function compileDevicePattern(pattern: string): DevicePatternMatcher {
  const problem = validateDevicePattern(pattern);
  if (problem) throw new Error(problem);
  return (deviceId) => globMatches(pattern, deviceId);
}

function globMatches(glob: string, id: string): boolean {
  let g = 0;
  let i = 0;
  let star = -1;
  let resume = 0;
  while (i < id.length) {
    if (g < glob.length && (glob[g] === '?' || (glob[g] !== '*' && glob[g] === id[i]))) {
      g += 1;
      i += 1;
    } else if (g < glob.length && glob[g] === '*') {
      star = g;
      g += 1;
      resume = i;
    } else if (star >= 0) {
      g = star + 1;
      resume += 1;
      i = resume;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g += 1;
  return g === glob.length;
}

/** The registration store key a pattern is kept under. */
export function patternKey(pattern: string): string {
  return `${PATTERN_KEY_PREFIX}${pattern}`;
}

/** The pattern a registration store key holds, or `undefined` when the key is a device ID. */
export function patternOfKey(key: string): string | undefined {
  return key.startsWith(PATTERN_KEY_PREFIX) ? key.slice(PATTERN_KEY_PREFIX.length) : undefined;
}
