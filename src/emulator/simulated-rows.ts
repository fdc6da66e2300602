import { LINC_FILES, readDataFile, UCI_FILE } from './csv-data.js';

/** A household meter's message (UCI columns; values unchanged, as JSON numbers). */
export interface HouseholdReading {
  /** `Voltage`, V. */
  voltage: number;
  /** `Global_intensity`, A. */
  current: number;
  /** `Global_active_power`, kW. */
  activePower: number;
  /** `Global_reactive_power`, kW. */
  reactivePower: number;
  /** `Date` + `Time` as ISO 8601 local time without zone (UCI gives none; the household is near Paris). */
  measuredAt: string;
}

/** The unit of each numeric field of a {@link HouseholdReading}. */
export const HOUSEHOLD_UNITS: Readonly<Record<string, string>> = { voltage: 'V', current: 'A', activePower: 'kW', reactivePower: 'kW' };

/** The feeder's message: the three phase voltages (V) of one Linc timestamp. */
export interface FeederReading {
  voltages: [number, number, number];
  /** The Linc `time`, as is (ISO 8601 UTC). */
  measuredAt: string;
}

/** The unit of each numeric field of a {@link FeederReading} (the array `voltages`: every element). */
export const FEEDER_UNITS: Readonly<Record<string, string>> = { voltages: 'V' };

/**
 * The UCI rows as household meter messages. `16/12/2006,17:24:00` becomes `2006-12-16T17:24:00`: the dataset gives
 * no zone (local time near Paris), so none is invented.
 */
export function householdReadings(): HouseholdReading[] {
  return readDataFile(UCI_FILE).map((row) => {
    const [day, month, year] = (row.Date ?? '').split('/');
    return {
      voltage: Number(row.Voltage),
      current: Number(row.Global_intensity),
      activePower: Number(row.Global_active_power),
      reactivePower: Number(row.Global_reactive_power),
      measuredAt: `${year}-${month}-${day}T${row.Time}`,
    };
  });
}

/** The Linc L1, L2, L3 rows joined on `time` (times missing from any phase are skipped), in L1's order. */
export function feederReadings(): FeederReading[] {
  const [l1, l2, l3] = LINC_FILES.map((file) => readDataFile(file)) as [Record<string, string>[], Record<string, string>[], Record<string, string>[]];
  const byTime = (rows: Record<string, string>[]) => new Map(rows.map((row) => [row.time, Number(row.voltage)]));
  const v2 = byTime(l2);
  const v3 = byTime(l3);
  const readings: FeederReading[] = [];
  for (const row of l1) {
    const a = v2.get(row.time);
    const b = v3.get(row.time);
    if (a !== undefined && b !== undefined) readings.push({ voltages: [Number(row.voltage), a, b], measuredAt: row.time as string });
  }
  return readings;
}
