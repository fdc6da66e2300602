import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

/** The machine a run happened on (for the results file and the README's Performance section). */
export interface MachineInfo {
  /** Logical CPUs (`nproc`). */
  cpus: number;
  cpuModel: string;
  /** Total memory, in MiB. */
  memoryMiB: number;
  node: string;
  /** 1, 5 and 15-minute load averages at the start of the run (other work on the machine makes figures noisy). */
  loadAverage: number[];
  /** `git rev-parse --short HEAD` of the benchmarked code, or `unknown`. */
  commit: string;
}

/** Reads {@link MachineInfo} from `os` and git (never throws). */
export function machineInfo(): MachineInfo {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 1048576),
    node: process.version,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    commit,
  };
}
