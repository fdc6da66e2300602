import type { Observable } from 'rxjs';
import type { Clock, ClockTimer } from '../config/clock.js';
import type { HubStatus } from './hub-health.js';

/**
 * Calls `onDue` once the status has stayed `error` for `afterMs` ms on `clock` (from when it entered `error`; any
 * other state cancels), and again after another `afterMs` in the error state that follows. @returns a stop function.
 */
export function rediscoverAfterErrors(status$: Observable<HubStatus>, clock: Clock, afterMs: number, onDue: () => void): () => void {
  let timer: ClockTimer | null = null;
  const subscription = status$.subscribe((status) => {
    if (status.state !== 'error') {
      timer?.cancel();
      timer = null;
    } else {
      timer ??= clock.setTimeout(() => {
        timer = null;
        onDue();
      }, afterMs);
    }
  });
  return () => {
    timer?.cancel();
    subscription.unsubscribe();
  };
}
