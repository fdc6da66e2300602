import type { Emulator } from './emulator-types.js';
import { startSimulator, type Simulation } from './simulator.js';

/**
 * Starts the simulator once every partition of the emulator has a receiver (polled every `pollMs` ms, at most
 * `timeoutMs` ms, then anyway), so that a gateway reading from `latest` also reads the devices' first events, their
 * `deviceConnected` included.
 * @returns an idempotent stop: cancels a pending start or stops the simulation (its devices then disconnect).
 */
export function simulateOnceRead(
  emulator: Pick<Emulator, 'send' | 'hubName' | 'stats' | 'partitionIds'>,
  timeoutMs = 30_000,
  pollMs = 100,
): () => void {
  let simulation: Simulation | undefined;
  const deadline = Date.now() + timeoutMs;
  const poll = setInterval(() => {
    const read = new Set(emulator.stats().receivers.map((r) => r.partitionId));
    if (read.size < emulator.partitionIds.length && Date.now() < deadline) return;
    clearInterval(poll);
    simulation = startSimulator(emulator);
  }, pollMs);
  return () => {
    clearInterval(poll);
    simulation?.stop();
  };
}
