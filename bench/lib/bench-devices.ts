/** Device IDs the bench spreads events over: `bench-device-00000` … (valid IoT Hub device IDs, sorted by index). */
export function benchDeviceId(index: number): string {
  return `bench-device-${String(index).padStart(5, '0')}`;
}

/** The first `count` bench device IDs. */
export function benchDeviceIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => benchDeviceId(i));
}

/**
 * A telemetry body of about 200 BYTES of UTF-8 JSON, in the shape of the demo's meters (voltages, currents) with
 * values that change with `seq`, so every event is distinct.
 */
export function telemetryBody(deviceId: string, seq: number): string {
  const v = (base: number, k: number) => Math.round((base + ((seq * 7 + k * 13) % 100) / 10) * 100) / 100;
  return JSON.stringify({
    deviceId,
    seq,
    voltages: [v(228, 1), v(228, 2), v(228, 3)],
    currents: [v(1, 4), v(1, 5), v(1, 6)],
    activePower: v(2, 7),
    temperature: v(20, 8),
    rssi: -60 - (seq % 30),
    status: 'ok',
    measuredAt: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
  });
}
