import { filter, type Observable, type Subscription } from 'rxjs';
import { compileDevicePattern } from '../devices/device-pattern.js';
import type { DeviceRegistryView, StatusEvent } from '../devices/device-state.js';
import type { SubscribeOptions } from './client-messages.js';

/** Device ID patterns one WebSocket connection watches, at most. */
export const WS_MAX_PATTERNS = 16;

/**
 * The device ID patterns of one WebSocket connection: each registered device whose ID matches, now and whenever one is
 * registered later (status `device registered`), is handed to `subscribe` (which bounds and refuses as for IDs).
 */
export class WsPatternWatch {
  private readonly watches = new Map<string, Subscription>();

  constructor(
    private readonly registry: Pick<DeviceRegistryView, 'list'>,
    private readonly status$: Observable<StatusEvent>,
    private readonly subscribe: (deviceIds: string[], options: SubscribeOptions) => void,
  ) {}

  /**
   * Starts (or restarts) watching `pattern` (already validated); its devices are subscribed with `options`.
   * @returns false when {@link WS_MAX_PATTERNS} other patterns are watched (nothing happens).
   */
  watch(pattern: string, options: SubscribeOptions): boolean {
    const known = this.watches.get(pattern);
    if (!known && this.watches.size >= WS_MAX_PATTERNS) return false;
    known?.unsubscribe();
    const matches = compileDevicePattern(pattern);
    this.watches.set(pattern, this.status$
      .pipe(filter((e) => e.deviceId !== undefined && e.reason === 'device registered' && matches(e.deviceId)))
      .subscribe((e) => this.subscribe([e.deviceId as string], options)));
    this.subscribe(this.registry.list().map((d) => d.deviceId).filter(matches), options);
    return true;
  }

  /** Stops watching every pattern (the connection closed). */
  close(): void {
    for (const watch of this.watches.values()) watch.unsubscribe();
    this.watches.clear();
  }
}
