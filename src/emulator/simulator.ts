import type { Emulator } from './emulator-types.js';

/** The simulated devices' IDs, in a fixed order. */
export const SIMULATED_DEVICE_IDS: readonly string[] = ['household-meter-01', 'household-meter-02', 'household-meter-03', 'feeder-01'];

/** Placeholder until milestone 3. */
export function startSimulator(_emulator: Pick<Emulator, 'send'>, _options: { intervalMs?: number } = {}): { deviceIds: string[]; stop(): void } {
  return { deviceIds: [...SIMULATED_DEVICE_IDS], stop: () => undefined };
}
