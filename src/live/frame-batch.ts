let batchFrames = 0;
let batchedMessages = 0;

/** Array frames sent and the messages in them, over the process's life (read by a metric and tests). */
export function batchCounts(): { frames: number; messages: number } {
  return { frames: batchFrames, messages: batchedMessages };
}

/**
 * The text of one WebSocket frame built from messages already serialized: one message alone as it is, several as a
 * JSON array of them in order (`[m1,m2,…]`, joined, never re-serialized). Holds at most `limitChars` characters of
 * messages, except that the first message always fits however long it is; a limit of 0 keeps one message a frame.
 */
export class FrameBatch {
  private readonly texts: string[] = [];
  private chars = 0;

  constructor(private readonly limitChars: number) {}

  /** Messages added so far. */
  get size(): number {
    return this.texts.length;
  }

  /** Adds a serialized message when it fits; false (nothing added) when it does not. */
  add(text: string): boolean {
    if (this.texts.length > 0 && this.chars + 1 + text.length > this.limitChars) return false;
    this.texts.push(text);
    this.chars += text.length + 1;
    return true;
  }

  /** The frame's text (counted in {@link batchCounts} when it is an array); call once, when `size > 0`. */
  text(): string {
    if (this.texts.length === 1) return this.texts[0] as string;
    batchFrames += 1;
    batchedMessages += this.texts.length;
    return `[${this.texts.join(',')}]`;
  }
}
