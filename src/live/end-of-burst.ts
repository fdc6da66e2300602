const due = new Set<() => void>();
let scheduled = false;

/**
 * Runs `flush` once, right after the current synchronous burst (one shared microtask for every caller; a function
 * scheduled twice before then runs once). No timer: it runs before any I/O or timer of the event loop. Bounded by the
 * distinct functions scheduled (one per send queue). An error thrown by one is rethrown in its own microtask after
 * the others ran.
 */
export function atEndOfBurst(flush: () => void): void {
  due.add(flush);
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(runDue);
}

function runDue(): void {
  scheduled = false;
  for (const flush of due) {
    due.delete(flush);
    try {
      flush();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
