import type { Emulator } from './emulator-types.js';
import { hubEventMessage, type HubEventKind } from './hub-event-kinds.js';
import { FEEDER_UNITS, feederReadings, HOUSEHOLD_UNITS, householdReadings } from './simulated-rows.js';

/** The simulated devices' IDs: three UCI household meters and one Linc feeder. */
export const SIMULATED_DEVICE_IDS: readonly string[] = ['household-meter-01', 'household-meter-02', 'household-meter-03', 'feeder-01'];

/** The unit of each body field the simulated devices send (field → unit), by device ID. */
export const SIMULATED_DEVICE_UNITS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  SIMULATED_DEVICE_IDS.map((id) => [id, id.startsWith('feeder-') ? FEEDER_UNITS : HOUSEHOLD_UNITS]),
);

/** Where each household meter starts in the UCI rows (rows 1, 5001, 10001; 0-based here). */
const METER_START_ROWS = [0, 5000, 10000];

/** A running simulation. */
export interface Simulation {
  deviceIds: string[];
  /** Stops sending (idempotent). */
  stop(): void;
}

/**
 * Replays the real measurements in `data/` as device-to-cloud messages through `emulator.send` (the device API's
 * path), content type `application/json`, encoding `utf-8`: `household-meter-01..03` from the UCI rows (starting at
 * rows 1, 5001, 10001) and `feeder-01` from the Linc rows joined on `time`, one message per device every
 * `intervalMs` ms (default 1000), the first at once, looping at the end of the data. Each device sends a
 * `deviceConnected` connection state event before its first message and a `deviceDisconnected` one on `stop()`.
 * @throws Error when the data files are missing or malformed.
 */
export function startSimulator(emulator: Pick<Emulator, 'send' | 'hubName'>, options: { intervalMs?: number } = {}): Simulation {
  const intervalMs = options.intervalMs ?? 1000;
  const households = householdReadings();
  const feeder = feederReadings();
  const sources: { deviceId: string; rows: unknown[]; next: number }[] = [
    ...METER_START_ROWS.map((start, i) => ({ deviceId: SIMULATED_DEVICE_IDS[i] as string, rows: households, next: start })),
    { deviceId: 'feeder-01', rows: feeder, next: 0 },
  ];
  const announce = (kind: HubEventKind): void => {
    for (const { deviceId } of sources) {
      const { body, options: sendOptions } = hubEventMessage(emulator.hubName, deviceId, { kind }, Date.now());
      emulator.send(deviceId, body, sendOptions).catch(() => undefined); // the emulator is closing
    }
  };
  const tick = (): void => {
    for (const source of sources) {
      const row = source.rows[source.next];
      source.next = (source.next + 1) % source.rows.length;
      emulator.send(source.deviceId, JSON.stringify(row), { contentType: 'application/json', contentEncoding: 'utf-8' })
        .catch(() => undefined); // the emulator is closing
    }
  };
  announce('deviceConnected');
  tick();
  let timer: NodeJS.Timeout | undefined = setInterval(tick, intervalMs);
  return {
    deviceIds: sources.map((s) => s.deviceId),
    stop: () => {
      if (timer !== undefined) announce('deviceDisconnected');
      clearInterval(timer);
      timer = undefined;
    },
  };
}
