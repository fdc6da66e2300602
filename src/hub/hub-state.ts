/** The hub consumer's state: `closed` on purpose (no device watched), or the state of the one open consumer. */
export type HubState = 'closed' | 'connecting' | 'connected' | 'error';

/** Every {@link HubState}, for metrics. */
export const HUB_STATES: readonly HubState[] = ['closed', 'connecting', 'connected', 'error'];

/** What others read of the hub (they keep no hub state of their own): its state and when it was last connected. */
export interface HubView {
  /** The consumer's state now (`closed` without a consumer). */
  state(): HubState;
  /** When the consumer was last `connected` (ms since the epoch; the current time while connected); -Infinity if never. */
  lastConnectedMs(): number;
}

/** A hub that never connects (no connection string). */
export const NO_HUB: HubView = { state: () => 'closed', lastConnectedMs: () => -Infinity };

/** A one-off hub-wide event for live clients (e.g. a retention gap): the hub's state then, and why. */
export interface HubNotice {
  state: HubState;
  /** One line, safe for authenticated clients. */
  reason: string;
}
