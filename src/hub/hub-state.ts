/** The hub consumer's state: `closed` on purpose (no device watched), or the state of the one open consumer. */
export type HubState = 'closed' | 'connecting' | 'connected' | 'error';

/** Every {@link HubState}, for metrics. */
export const HUB_STATES: readonly HubState[] = ['closed', 'connecting', 'connected', 'error'];
