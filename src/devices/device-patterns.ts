import { BehaviorSubject, filter, type Observable, type Subscription } from 'rxjs';
import type { Units } from '../schemas/devices.js';
import type { RegistrationChange, RegistrationStore, StoredRegistration } from '../store/registration-store.js';
import type { DeviceState, StatusEvent } from './device-state.js';
import { compileDevicePattern, patternKey, patternOfKey, type DevicePatternMatcher } from './device-pattern.js';

/** Patterns kept at most (each is tested against every message of an unwatched device). */
export const MAX_PATTERNS = 100;

/** A registered pattern as `GET /api/devices` lists it (`registeredAt` ISO 8601 UTC). */
export interface PatternEntry {
  deviceIdPattern: string;
  registeredAt: string;
}

/** One registered pattern: its registration time (ISO 8601 UTC), matcher and the units its devices get. */
interface Pattern {
  registeredAt: string;
  matches: DevicePatternMatcher;
  units?: Units;
}

/** What {@link DevicePatterns} needs of the device registry. */
export interface PatternRegistry {
  register(deviceId: string, units?: Units): unknown;
  unregister(deviceId: string): boolean;
  get(deviceId: string): DeviceState | undefined;
  touch(deviceId: string): unknown;
  list(): DeviceState[];
  readonly status$: Observable<StatusEvent>;
}

/** Options of {@link DevicePatterns}. */
export interface DevicePatternsOptions {
  /** `MAX_PATTERN_DEVICES`: devices registered through patterns, at most. */
  maxDevices: number;
  now: () => number;
  registrations?: Pick<RegistrationStore, 'put' | 'delete'>;
  onPersistError?: (error: unknown) => void;
  /** A message of an unregistered device matching a pattern was not registered: `maxDevices` reached. */
  onOverLimit?: (deviceId: string) => void;
}

/**
 * Device ID patterns (globs, see `device-pattern.ts`), kept in the registration store under `pattern/<glob>` keys.
 * The first message of an unregistered device whose ID matches one registers the device (so that message is stored);
 * registering a pattern is activity for the registered devices it matches. A device registered through a pattern
 * alone is unregistered with it, unless another pattern still matches it.
 */
export class DevicePatterns {
  private readonly patterns = new Map<string, Pattern>();
  /** Devices registered through a pattern (not by their ID), and which pattern. */
  private readonly claimed = new Map<string, string>();
  private readonly countSubject = new BehaviorSubject(0);
  private readonly unregistered: Subscription;
  /** How many patterns are registered; emits on every change (current value first). */
  readonly count$: Observable<number> = this.countSubject.asObservable();

  constructor(private readonly registry: PatternRegistry, private readonly options: DevicePatternsOptions) {
    this.unregistered = registry.status$
      .pipe(filter((e) => e.status === 'unregistered' && e.deviceId !== undefined))
      .subscribe((e) => this.claimed.delete(e.deviceId as string));
  }

  /** Takes the patterns among stored registrations (keys `pattern/<glob>`; invalid ones are skipped). */
  restore(stored: readonly StoredRegistration[]): void {
    for (const r of stored) {
      const pattern = patternOfKey(r.deviceId);
      if (pattern === undefined || this.patterns.size >= MAX_PATTERNS) continue;
      try {
        this.keep(pattern, r.registeredAt, r.units);
      } catch {
        // A store edited by hand: an invalid pattern is ignored.
      }
    }
  }

  /** A change another instance made (shared store). @returns false when it is not about a pattern. */
  apply(change: RegistrationChange): boolean {
    const pattern = patternOfKey(change.deviceId);
    if (pattern === undefined) return false;
    if (change.type === 'registered') this.keep(pattern, change.registeredAt, change.units);
    else if (change.type === 'unregistered') this.drop(pattern);
    return true;
  }

  /**
   * Registers a pattern (again: counts as activity, and `units` given replace its own) and touches every registered
   * device it matches. `units` go to the devices it registers from then on.
   * @returns whether it is new, and its registration time.
   * @throws Error when the pattern is invalid or {@link MAX_PATTERNS} are registered.
   */
  add(pattern: string, units?: Units): { created: boolean; entry: PatternEntry } {
    const was = this.patterns.get(pattern);
    if (!was && this.patterns.size >= MAX_PATTERNS) throw new Error(`at most ${MAX_PATTERNS} device ID patterns can be registered`);
    const registeredAt = was?.registeredAt ?? new Date(this.options.now()).toISOString();
    const known = !was || units !== undefined ? this.keep(pattern, registeredAt, units ?? was?.units) : was;
    if (known !== was) {
      const stored = known.units === undefined ? {} : { units: known.units };
      this.write((r) => r.put({ deviceId: patternKey(pattern), registeredAt, ...stored }));
    }
    const created = was === undefined;
    for (const d of this.registry.list()) if (known.matches(d.deviceId)) this.registry.touch(d.deviceId);
    return { created, entry: { deviceIdPattern: pattern, registeredAt: known.registeredAt } };
  }

  /**
   * Unregisters a pattern and the devices it alone registered.
   * @returns the device IDs unregistered with it, or `undefined` when the pattern is not registered.
   */
  remove(pattern: string): string[] | undefined {
    if (!this.patterns.has(pattern)) return undefined;
    this.write((r) => r.delete(patternKey(pattern)));
    return this.drop(pattern);
  }

  /** Registered patterns, in registration order. */
  list(): PatternEntry[] {
    return [...this.patterns].map(([deviceIdPattern, p]) => ({ deviceIdPattern, registeredAt: p.registeredAt }));
  }

  /** The first registered pattern `deviceId` matches, or `undefined`. */
  matching(deviceId: string): string | undefined {
    for (const [pattern, p] of this.patterns) if (p.matches(deviceId)) return pattern;
    return undefined;
  }

  /**
   * A message of a device that is not watched: registers it when it is not registered, matches a pattern and fewer
   * than `maxDevices` were registered through patterns (else `onOverLimit`). An inactive device stays inactive.
   * @returns true when the device was registered (its message is to be stored).
   */
  claim(deviceId: string): boolean {
    if (this.patterns.size === 0 || this.registry.get(deviceId)) return false;
    const pattern = this.matching(deviceId);
    if (pattern === undefined) return false;
    if (this.claimed.size >= this.options.maxDevices) {
      this.options.onOverLimit?.(deviceId);
      return false;
    }
    this.registry.register(deviceId, this.patterns.get(pattern)?.units);
    this.claimed.set(deviceId, pattern);
    return true;
  }

  /** The device was registered by its ID: it stays when its pattern goes. */
  registeredExplicitly(deviceId: string): void {
    this.claimed.delete(deviceId);
  }

  /** Stops listening to the registry (on shutdown). */
  close(): void {
    this.unregistered.unsubscribe();
    this.countSubject.complete();
  }

  private keep(pattern: string, registeredAt: string, units: Units | undefined): Pattern {
    const entry: Pattern = { registeredAt, matches: compileDevicePattern(pattern), ...(units === undefined ? {} : { units: { ...units } }) };
    this.patterns.set(pattern, entry);
    this.countSubject.next(this.patterns.size);
    return entry;
  }

  /** Forgets a pattern; its devices go to another matching pattern, or are unregistered. */
  private drop(pattern: string): string[] {
    if (!this.patterns.delete(pattern)) return [];
    this.countSubject.next(this.patterns.size);
    const removed: string[] = [];
    for (const [deviceId, by] of [...this.claimed]) {
      if (by !== pattern) continue;
      const other = this.matching(deviceId);
      if (other !== undefined) this.claimed.set(deviceId, other);
      else if (this.registry.unregister(deviceId)) removed.push(deviceId);
    }
    return removed;
  }

  private write(change: (registrations: NonNullable<DevicePatternsOptions['registrations']>) => Promise<void>): void {
    const { registrations, onPersistError } = this.options;
    if (registrations) void change(registrations).catch((error: unknown) => onPersistError?.(error));
  }
}
