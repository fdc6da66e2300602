import { BehaviorSubject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../src/devices/device-registry.js';
import type { StatusEvent } from '../../src/devices/device-state.js';
import type { HubStatus } from '../../src/hub/hub-health.js';
import type { HubState, HubView } from '../../src/hub/hub-state.js';
import { statusEvents } from '../../src/live/status-events.js';

/** A hub whose state the test sets, read by the registry as the real one is (a view, no copy kept). */
function fakeHub(now: () => number) {
  const status = new BehaviorSubject<HubStatus>({ state: 'closed', reason: null, detail: null });
  let left = -Infinity;
  const view: HubView = {
    state: () => status.value.state,
    lastConnectedMs: () => (status.value.state === 'connected' ? now() : left),
  };
  const set = (state: HubState, detail: string | null = null): void => {
    if (status.value.state === 'connected' && state !== 'connected') left = now();
    status.next({ state, reason: detail, detail });
  };
  return { view, status$: status.asObservable(), set };
}

function setup(timeoutS = 2) {
  let now = 1_700_000_000_000;
  const hub = fakeHub(() => now);
  const registry = new DeviceRegistry({ inactivityTimeoutS: timeoutS, now: () => now, hub: hub.view });
  const events: StatusEvent[] = [];
  const watched: string[][] = [];
  statusEvents(registry, hub.status$, () => hub.view.lastConnectedMs()).subscribe((e) => events.push(e));
  registry.watched$.subscribe((s) => watched.push([...s].sort()));
  return { registry, events, watched, hub, advance: (ms: number) => void (now += ms) };
}

describe('DeviceRegistry', () => {
  it('moves registering → registered when the hub connects, and reports isConnected', () => {
    const { registry, events, hub, advance } = setup();
    expect(registry.register('a').outcome).toBe('created');
    expect(registry.get('a')).toMatchObject({ status: 'registering', isConnected: false, lastSeen: null });
    hub.set('connecting', 'waiting');
    advance(10);
    hub.set('connected');
    expect(registry.get('a')).toMatchObject({ status: 'registered', isConnected: true });
    advance(10);
    hub.set('error', 'unauthorized: expired');
    expect(registry.get('a')).toMatchObject({ status: 'registered', isConnected: false });
    advance(10);
    registry.register('b'); // while the hub is down: registering until it connects again
    expect(registry.get('b')?.status).toBe('registering');
    advance(10);
    hub.set('connected');
    expect(registry.get('b')).toMatchObject({ status: 'registered', isConnected: true });
    expect(events.map((e) => [e.deviceId ?? 'hub', e.status, e.reason])).toEqual([
      ['a', 'registering', 'device registered'],
      ['hub', 'connecting', 'waiting'],
      ['hub', 'connected', 'hub connection restored'],
      ['a', 'registered', 'hub consumer reads every partition'],
      ['hub', 'error', 'hub connection lost: unauthorized: expired'],
      ['b', 'registering', 'device registered'],
      ['hub', 'connected', 'hub connection restored'],
      ['b', 'registered', 'hub consumer reads every partition'],
    ]);
  });

  it('turns a device inactive after the timeout unless held, and reactivates on activity', () => {
    const { registry, watched, advance, events, hub } = setup(2);
    hub.set('connected');
    registry.register('a');
    registry.register('b');
    const release = registry.holdActive('b');
    advance(1999);
    registry.sweep();
    expect(registry.get('a')?.status).toBe('registered');
    advance(1);
    registry.sweep();
    expect(registry.get('a')).toMatchObject({ status: 'inactive', isConnected: false });
    expect(registry.get('b')?.status).toBe('registered');
    expect(registry.isWatched('a')).toBe(false);
    expect(events.at(-1)).toEqual({ deviceId: 'a', status: 'inactive', isConnected: false, reason: 'device inactive' });
    release();
    release();
    advance(2000);
    registry.sweep();
    expect(registry.get('b')?.status).toBe('inactive');
    expect(watched.at(-1)).toEqual([]);
    expect(registry.touch('a')?.status).toBe('registered');
    expect(watched.at(-1)).toEqual(['a']);
    expect(registry.register('b').outcome).toBe('reactivated');
    expect(registry.register('b').outcome).toBe('already-active');
    expect(registry.touch('zzz')).toBeUndefined();
    expect(() => registry.holdActive('zzz')).toThrow(/not registered/);
  });

  it('never turns devices inactive with a timeout of 0', () => {
    const { registry, advance } = setup(0);
    registry.register('a');
    advance(10 ** 9);
    registry.sweep();
    expect(registry.get('a')?.status).toBe('registering');
  });

  it('keeps units given at registration, replaces them only when new ones are given, and signals each list change', () => {
    const { registry } = setup();
    const stored: unknown[] = [];
    const persisted = new DeviceRegistry({
      inactivityTimeoutS: 60, now: () => 1_700_000_000_000,
      registrations: { put: (r) => Promise.resolve(void stored.push(r)), delete: () => Promise.resolve(), recordActivity: () => Promise.resolve() },
    });
    let changes = 0;
    persisted.changed$.subscribe(() => (changes += 1));
    persisted.register('m', { voltage: 'V' });
    persisted.register('m');
    persisted.register('m', { voltage: 'V' });
    expect(changes).toBe(1);
    persisted.register('m', { current: 'A' });
    persisted.recordSeen('m', '2026-01-01T00:00:00.000Z');
    persisted.recordSeen('m', '2025-01-01T00:00:00.000Z');
    expect(changes).toBe(3);
    expect(persisted.get('m')?.units).toEqual({ current: 'A' });
    expect(stored).toEqual([
      { deviceId: 'm', registeredAt: '2023-11-14T22:13:20.000Z', units: { voltage: 'V' } },
      { deviceId: 'm', registeredAt: '2023-11-14T22:13:20.000Z', units: { current: 'A' } },
    ]);
    registry.apply({ type: 'registered', deviceId: 'r', registeredAt: '2026-01-01T00:00:00.000Z', units: { v: 'V' } });
    registry.apply({ type: 'registered', deviceId: 'r', registeredAt: '2026-01-01T00:00:00.000Z' });
    expect(registry.get('r')?.units).toEqual({});
    expect(registry.get('nobody')).toBeUndefined();
  });
});
