/** Sends per-device increasing counters `{ seq }` through the emulator's device API at a fixed total rate. */
export interface CounterSender {
  /** Starts (or resumes) sending `ratePerS` messages per SECOND round-robin over the devices. */
  start(ratePerS: number): void;
  /** Stops sending and waits for every POST in flight. @throws Error when a POST was not answered 2xx. */
  stop(): Promise<void>;
  /** How many counters each device was sent so far (its counters are `0 … n-1`). */
  sent(deviceId: string): number;
}

/**
 * A {@link CounterSender} against the device API at `base` (`http://127.0.0.1:<port>`). Each device's POSTs are
 * chained, so its counters reach the hub in order; the pacing sends what is due since `start` every 5 ms.
 */
export function counterSender(base: string, deviceIds: readonly string[]): CounterSender {
  const counts = new Map(deviceIds.map((id) => [id, 0]));
  const chains = new Map(deviceIds.map((id) => [id, Promise.resolve()]));
  const failures: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const post = (deviceId: string, seq: number) => async () => {
    const response = await fetch(`${base}/devices/${deviceId}/messages/events`, {
      method: 'POST', headers: { 'iothub-contenttype': 'application/json' }, body: JSON.stringify({ seq }),
    });
    await response.arrayBuffer();
    if (!response.ok) failures.push(`${deviceId} ${seq}: ${response.status}`);
  };
  return {
    start(ratePerS) {
      const started = performance.now();
      let done = 0;
      timer = setInterval(() => {
        const due = Math.floor(((performance.now() - started) * ratePerS) / 1000);
        for (; done < due; done += 1) {
          const deviceId = deviceIds[done % deviceIds.length] as string;
          const seq = counts.get(deviceId) as number;
          counts.set(deviceId, seq + 1);
          chains.set(deviceId, (chains.get(deviceId) as Promise<void>).then(post(deviceId, seq)));
        }
      }, 5);
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(chains.values());
      if (failures.length > 0) throw new Error(`device API refused: ${failures.slice(0, 5).join(', ')}`);
    },
    sent: (deviceId) => counts.get(deviceId) ?? 0,
  };
}
