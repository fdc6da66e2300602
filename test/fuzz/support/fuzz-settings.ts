import fc from 'fast-check';

/** A positive integer from the environment, else `fallback`. */
function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * fast-check parameters of one fuzz property: a fixed seed (`FUZZ_SEED`, default 1307), at most `FUZZ_RUNS` runs
 * (default `runs`) and at most `FUZZ_TIME_MS` ms of generation (default `timeMs`), whichever ends first. A failure
 * message carries `seed` and `path`: set `FUZZ_SEED` and `FUZZ_PATH` to replay exactly that counterexample.
 */
export function fuzzParameters<T>(runs: number, timeMs: number): fc.Parameters<T> {
  const path = process.env.FUZZ_PATH;
  return {
    seed: envInt('FUZZ_SEED', 1307),
    numRuns: envInt('FUZZ_RUNS', runs),
    plugins: [fc.interruptAfterTimeLimit(envInt('FUZZ_TIME_MS', timeMs))],
    ...(path ? { path } : {}),
  };
}

/** The vitest timeout (ms) for a property given `timeMs` of generation, plus room for shrinking and teardown. */
export function fuzzTestTimeout(timeMs: number): number {
  return envInt('FUZZ_TIME_MS', timeMs) * 4 + 30_000;
}
