import type { ServerMessage } from './messages.js';

/**
 * Hands each server message of one text frame to `handle`, in order: the frame's object, or every element of a
 * batched frame (a JSON array). A frame that is not JSON is ignored. When `handle` throws for an element, the other
 * elements are still handled, then the first error is thrown.
 */
export function forEachMessage(text: string, handle: (message: ServerMessage) => void): void {
  let frame: ServerMessage | ServerMessage[];
  try {
    frame = JSON.parse(text) as ServerMessage | ServerMessage[];
  } catch {
    return;
  }
  if (!Array.isArray(frame)) return handle(frame);
  let failure: { error: unknown } | undefined;
  for (const message of frame) {
    try {
      handle(message);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
