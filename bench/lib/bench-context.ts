/** Sizes of one bench run; durations in MILLISECONDS unless named `S` (SECONDS). */
export interface BenchSizes {
  /** Events preloaded for ingest, spread over {@link BenchSizes.spreadDevices} device IDs. */
  ingestEvents: number;
  /** Registered device counts of the ingest scenario. */
  ingestDevices: number[];
  /**
   * Runs of each side of every comparison, interleaved (lib/interleaved.ts): rows report the median ratio with its
   * min and max, and `NOISY` when the spread is wider than 20 %.
   */
  repeats: number;
  /** Device IDs the preloaded events are spread over. */
  spreadDevices: number;
  /** Events preloaded for the seed-design comparison (every baseline client reads them all). */
  seedEvents: number;
  seedDevices: number[];
  /** WebSocket subscriber counts of the fan-out scenario, spread over {@link BenchSizes.fanoutDevices} devices. */
  fanoutSubscribers: number[];
  fanoutDevices: number;
  /** Events per SECOND sent during fan-out. */
  fanoutRatePerS: number;
  /** Traffic before the measurement window, in MILLISECONDS: a fresh gateway shows a start-up transient of a few seconds (JIT, first batches). */
  fanoutWarmupMs: number;
  fanoutMeasureMs: number;
  /** Load-client processes for fan-out. */
  fanoutClientProcesses: number;
  /** Microsoft-sample broadcast comparison: subscribers (each wanting one of `fanoutDevices`) and events per SECOND. */
  broadcastSubscribers: number;
  broadcastRatePerS: number;
  restConnections: number;
  restDurationS: number;
  /** Devices × `HISTORY_LIMIT` messages stored for the memory scenario. */
  memoryDevices: number;
  historyLimit: number;
  /** The memory scenario's large run: devices × HISTORY_LIMIT stored once, to extrapolate to 10,000 × 1,000 (0 skips it). */
  memoryScaleDevices: number;
  memoryScaleHistory: number;
  /** Embedded scenario: devices × messages each seeded through the store API, and registered devices of its ingest run. */
  embeddedDevices: number;
  embeddedPerDevice: number;
  embeddedIngestDevices: number;
  /** Soak (`--soak`): length in MINUTES (`--soak-minutes N`), events per SECOND, devices, WebSocket subscribers. */
  soakMinutes: number;
  soakRatePerS: number;
  soakDevices: number;
  soakSubscribers: number;
  /** Soak: SECONDS between memory samples, and the warm-up in SECONDS left out of the slope (at most a quarter of the run). */
  soakSampleS: number;
  soakWarmupS: number;
}

/** What every scenario gets from the runner. */
export interface BenchContext {
  quick: boolean;
  sizes: BenchSizes;
  /** Directory of the children's logs (and CPU profiles with `--profile`). */
  logDir: string;
  /** With `--profile`: where CPU profiles of the gateway's measurement windows go (lib/profile-window.ts). */
  profileDir: string | null;
  /** Progress line on stderr. */
  log(line: string): void;
}

/** Sizes of the full run (< 10 minutes on a 2-core machine): 1 to 10,000 devices and 100 to 10,000 subscribers. */
export const FULL_SIZES: BenchSizes = {
  ingestEvents: 40_000,
  ingestDevices: [1, 100, 1000, 10_000],
  repeats: 3,
  spreadDevices: 10_000,
  seedEvents: 6000,
  seedDevices: [1, 5, 10, 50],
  fanoutSubscribers: [100, 1000, 10_000],
  fanoutDevices: 100,
  fanoutRatePerS: 1000,
  fanoutWarmupMs: 5000,
  fanoutMeasureMs: 8000,
  fanoutClientProcesses: 2,
  broadcastSubscribers: 1000,
  broadcastRatePerS: 100,
  restConnections: 50,
  restDurationS: 10,
  memoryDevices: 100,
  historyLimit: 1000,
  memoryScaleDevices: 10_000,
  memoryScaleHistory: 100,
  embeddedDevices: 10_000,
  embeddedPerDevice: 1000,
  embeddedIngestDevices: 1000,
  soakMinutes: 8,
  soakRatePerS: 500,
  soakDevices: 50,
  soakSubscribers: 200,
  soakSampleS: 30,
  soakWarmupS: 150,
};

/** Sizes of `--quick` (about a minute): every scenario once at its smallest size, so the bench code cannot rot. */
export const QUICK_SIZES: BenchSizes = {
  ...FULL_SIZES,
  ingestEvents: 20_000,
  ingestDevices: [1],
  repeats: 1,
  seedEvents: 5_000,
  seedDevices: [1],
  fanoutSubscribers: [100],
  fanoutWarmupMs: 4000,
  fanoutMeasureMs: 3000,
  broadcastSubscribers: 100,
  restDurationS: 3,
  memoryDevices: 10,
  memoryScaleDevices: 0,
  embeddedDevices: 1000,
  embeddedPerDevice: 100,
};

/**
 * `sizes` with `--size.<key>=<n>` (or `=<n>,<n>,...` for a list) arguments applied.
 * @throws Error on an unknown key or a value that is not a (list of) number(s) of the key's kind.
 */
export function withOverrides(sizes: BenchSizes, args: string[]): BenchSizes {
  const result: Record<string, number | number[]> = { ...sizes };
  for (const arg of args) {
    const match = /^--size\.(\w+)=([\d,._]+)$/.exec(arg);
    if (!match) continue;
    const [, key = '', text = ''] = match;
    const current = result[key];
    if (current === undefined) throw new Error(`unknown size ${key}; known: ${Object.keys(sizes).join(', ')}`);
    const values = text.split(',').map((v) => Number(v.replace(/_/g, '')));
    if (values.some((v) => !Number.isFinite(v))) throw new Error(`--size.${key}: not a number: ${text}`);
    result[key] = Array.isArray(current) ? values : (values[0] as number);
  }
  return result as unknown as BenchSizes;
}
