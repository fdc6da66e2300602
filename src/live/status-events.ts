import { distinctUntilChanged, EMPTY, from, map, merge, mergeMap, pairwise, share, type Observable } from 'rxjs';
import { hubStatusEvent } from '../devices/device-entry.js';
import type { DeviceState, StatusEvent } from '../devices/device-state.js';
import type { HubStatus } from '../hub/hub-health.js';
import type { HubNotice, HubState } from '../hub/hub-state.js';

/** What {@link statusEvents} reads of the registry. */
export interface StatusSources {
  /** Device status changes (registration, reactivation, inactivity, unregistration). */
  status$: Observable<StatusEvent>;
  /** Active devices activated after `ms`: those still `registering` until a hub connection at `ms`. */
  activatedAfter(ms: number): DeviceState[];
}

interface HubStep {
  state: HubState;
  reason: string | null;
  /** `lastConnectedMs` read when the hub entered this state. */
  lastConnectedMs: number;
}

/**
 * The hub-wide status a live client gets when it starts (right after `auth`, at SSE stream start): the consumer's
 * state with its public reason, the one `/readyz` gives (`hub_unreachable`, `waiting for 2 of 4 partitions`, …), or
 * for `connected` / `closed`, which have none, `hub consumer reads every partition` / `hub consumer closed: no device
 * watched`; `detail` when the full description says more than the reason.
 */
export function currentHubStatus(status: HubStatus): StatusEvent {
  const reason = status.reason ?? (status.state === 'connected' ? 'hub consumer reads every partition' : hubStatusEvent(status.state, status.state, null).reason);
  const event: StatusEvent = { status: status.state, isConnected: status.state === 'connected', reason };
  return status.detail && status.detail !== reason ? { ...event, detail: status.detail } : event;
}

/**
 * The status events live clients receive, derived once (shared): the registry's device events, and for every change
 * of the hub's state (or of its public reason while in `error`) a hub-wide event (no `deviceId`; `reason` with the detail, for authenticated clients) followed,
 * when the hub has just connected, by a `registered` event of each device that was still `registering`; and each hub
 * notice (e.g. a retention gap) as a hub-wide event of the hub's state then, with the notice's reason.
 * @param hubStatus$ the hub's one status stream (current value first).
 * @param lastConnectedMs the hub's {@link HubView.lastConnectedMs}.
 * @param notices$ the hub's one-off notices.
 */
export function statusEvents(
  registry: StatusSources,
  hubStatus$: Observable<HubStatus>,
  lastConnectedMs: () => number,
  notices$: Observable<HubNotice> = EMPTY,
): Observable<StatusEvent> {
  const hub$ = hubStatus$.pipe(
    distinctUntilChanged((a, b) => a.state === b.state && (a.state !== 'error' || a.reason === b.reason)),
    map((s): HubStep => ({ state: s.state, reason: s.detail ?? s.reason, lastConnectedMs: lastConnectedMs() })),
    pairwise(),
    mergeMap(([was, now]) => {
      const events = [hubStatusEvent(now.state, was.state, now.reason)];
      if (now.state === 'connected') {
        for (const device of registry.activatedAfter(was.lastConnectedMs)) {
          events.push({ deviceId: device.deviceId, status: device.status, isConnected: device.isConnected, reason: 'hub consumer reads every partition' });
        }
      }
      return from(events);
    }),
  );
  const notice$ = notices$.pipe(map((n): StatusEvent => ({ status: n.state, isConnected: n.state === 'connected', reason: n.reason })));
  return merge(registry.status$, hub$, notice$).pipe(share());
}
