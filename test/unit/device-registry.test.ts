import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../src/devices/device-registry.js';
import type { StatusEvent } from '../../src/devices/device-state.js';

function setup(timeoutS = 2) {
  let now = 1_700_000_000_000;
  const registry = new DeviceRegistry({ inactivityTimeoutS: timeoutS, now: () => now });
  const events: StatusEvent[] = [];
  const watched: string[][] = [];
  registry.status$.subscribe((e) => events.push(e));
  registry.watched$.subscribe((s) => watched.push([...s].sort()));
  return { registry, events, watched, advance: (ms: number) => void (now += ms) };
}

describe('DeviceRegistry', () => {
  it('moves registering → registered when the hub connects, and reports isConnected', () => {
    const { registry, events } = setup();
    expect(registry.register('a').outcome).toBe('created');
    expect(registry.get('a')).toMatchObject({ status: 'registering', isConnected: false, lastSeen: null });
    registry.setHubState('connecting', 'waiting');
    registry.setHubState('connected', null);
    expect(registry.get('a')).toMatchObject({ status: 'registered', isConnected: true });
    registry.setHubState('error', 'unauthorized: expired');
    expect(registry.get('a')).toMatchObject({ status: 'registered', isConnected: false });
    expect(events.filter((e) => e.deviceId === undefined).map((e) => [e.status, e.reason])).toEqual([
      ['connecting', 'waiting'],
      ['connected', 'hub connection restored'],
      ['error', 'hub connection lost: unauthorized: expired'],
    ]);
  });

  it('turns a device inactive after the timeout unless held, and reactivates on activity', () => {
    const { registry, watched, advance, events } = setup(2);
    registry.setHubState('connected', null);
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
});
