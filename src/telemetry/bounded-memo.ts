/**
 * Memoizes a pure function of a string (a content type, an encoding label): devices send few distinct values, so
 * each is worked out once. Bounded: at most `limit` keys of at most `maxKeyLength` characters are kept (longer keys
 * are computed every time); when full, the memo starts over.
 * @returns the memoized function; `fn` must be pure and its results must not be mutated by callers.
 */
export function boundedMemo<T>(fn: (key: string) => T, limit = 256, maxKeyLength = 256): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    const known = memo.get(key);
    if (known !== undefined || memo.has(key)) return known as T;
    const value = fn(key);
    if (key.length <= maxKeyLength) {
      if (memo.size >= limit) memo.clear();
      memo.set(key, value);
    }
    return value;
  };
}
