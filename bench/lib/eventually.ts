/**
 * Polls `check` every `intervalMs` MILLISECONDS until it returns without throwing, and returns its value.
 * @throws the last error of `check` once `timeoutMs` MILLISECONDS have passed.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}

/** Resolves after `ms` MILLISECONDS (only for fixed measurement windows, never to wait for state). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
