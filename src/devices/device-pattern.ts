import picomatch from 'picomatch';
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
 * Compiles a glob (`*` any run of characters, `?` exactly one) with picomatch. Every other character is escaped, so
 * `( ) ! + @ .` and the like match only themselves (no extglobs, braces, negation or dot-file rules).
 * @throws Error when the pattern is not valid (see {@link validateDevicePattern}).
 */
export function compileDevicePattern(pattern: string): DevicePatternMatcher {
  const problem = validateDevicePattern(pattern);
  if (problem) throw new Error(problem);
  const glob = pattern.replace(/[^A-Za-z0-9*?]/g, (c) => `\\${c}`);
  const isMatch = picomatch(glob, { dot: true, noextglob: true, nonegate: true, nobrace: true, noglobstar: true, posix: true });
  return (deviceId) => isMatch(deviceId);
}

/** The registration store key a pattern is kept under. */
export function patternKey(pattern: string): string {
  return `${PATTERN_KEY_PREFIX}${pattern}`;
}

/** The pattern a registration store key holds, or `undefined` when the key is a device ID. */
export function patternOfKey(key: string): string | undefined {
  return key.startsWith(PATTERN_KEY_PREFIX) ? key.slice(PATTERN_KEY_PREFIX.length) : undefined;
}
