/**
 * Values derived from a stored message, kept per message under a string key (a field selection), at most `perMessage`
 * keys a message: past that, values are made without being kept. The store hands every reader the same message
 * object, so a `WeakMap` shares the values among readers and forgets them with the message.
 */
export class MessageCache<T> {
  private readonly entries = new WeakMap<object, Map<string, T>>();

  /** @param perMessage keys kept per message (≥ 1). */
  constructor(private readonly perMessage: number) {}

  /** The kept value for (message, key), `undefined` when none is kept. */
  peek(message: object, key: string): T | undefined {
    return this.entries.get(message)?.get(key);
  }

  /** The value for (message, key): the kept one, else `make()` (kept while the message has fewer than `perMessage`). */
  get(message: object, key: string, make: () => T): T {
    let byKey = this.entries.get(message);
    const kept = byKey?.get(key);
    if (kept !== undefined) return kept;
    const value = make();
    if (!byKey) this.entries.set(message, (byKey = new Map<string, T>()));
    if (byKey.size < this.perMessage) byKey.set(key, value);
    return value;
  }
}
