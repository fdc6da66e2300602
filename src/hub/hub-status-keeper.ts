import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import type { Clock } from '../config/clock.js';
import type { HubLogger } from './hub-consumer-options.js';
import type { HubStatus } from './hub-health.js';

/**
 * The consumer's published status: `publish` takes the health's state now and, when it changed, logs the new state
 * (errors at error level, a new error reason too) and emits it; remembers when the consumer left `connected`.
 */
export class HubStatusKeeper {
  private readonly subject = new BehaviorSubject<HubStatus>({ state: 'closed', reason: null, detail: null });
  private leftConnectedMs = -Infinity;

  /** State changes (current value first). */
  readonly status$: Observable<HubStatus> = this.subject.pipe(
    distinctUntilChanged((a, b) => a.state === b.state && a.reason === b.reason && a.detail === b.detail),
  );

  constructor(private readonly clock: Clock, private readonly logger: HubLogger) {}

  /** The current state, its public reason and its detail. */
  get value(): HubStatus {
    return this.subject.value;
  }

  /** When the consumer was last `connected`, ms since the epoch (now while connected); -Infinity if never. */
  lastConnectedMs(): number {
    return this.subject.value.state === 'connected' ? this.clock.now() : this.leftConnectedMs;
  }

  /** Publishes `next` unless it equals the current status. */
  publish(next: HubStatus): void {
    const prev = this.subject.value;
    if (next.state === prev.state && next.reason === prev.reason && next.detail === prev.detail) return;
    if (next.state !== prev.state || (next.state === 'error' && next.reason !== prev.reason)) {
      const line = `hub consumer ${next.state}${next.detail ? `: ${next.detail}` : ''}`;
      if (next.state === 'error') this.logger.error(line);
      else this.logger.info(line);
    }
    if (prev.state === 'connected' && next.state !== 'connected') this.leftConnectedMs = this.clock.now();
    this.subject.next(next);
  }
}
