import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`), the unit of utime/stime in `/proc/<pid>/stat`. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU and memory of one process, read from Linux `/proc` (proc(5)). */
export interface ProcSample {
  /** User + system CPU time since the process started, in MILLISECONDS (10 ms resolution at CLK_TCK 100). */
  cpuMs: number;
  /** Resident set size now (`VmRSS`), in BYTES. */
  rssBytes: number;
  /** Peak resident set size (`VmHWM`), in BYTES. */
  peakRssBytes: number;
}

/**
 * Reads utime + stime from `/proc/<pid>/stat` and VmRSS/VmHWM from `/proc/<pid>/status` (Linux only, proc(5)).
 * @returns `undefined` when the process is gone (never throws).
 */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based) of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { cpuMs: (ticks * 1000) / CLK_TCK, rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * CPU time of the whole machine since boot, from the first line of `/proc/stat` (proc(5)): busy = user + nice +
 * system + irq + softirq + steal, in MILLISECONDS summed over all CPUs. `undefined` when unreadable.
 */
export function sampleMachineBusyMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** CPU used by a process over a measurement window. */
export interface CpuWindow {
  /** CPU time used in the window, in MILLISECONDS. */
  cpuMs: number;
  /** Window length, in MILLISECONDS of wall-clock time. */
  wallMs: number;
  /** `cpuMs / wallMs` as a percentage of ONE core (200 = two cores busy). */
  percentOfCore: number;
}

/** Starts a CPU measurement window on `pid`; call the returned function at the end of the window. */
export function startCpuWindow(pid: number): () => CpuWindow {
  const startCpu = sampleProcess(pid)?.cpuMs ?? 0;
  const startWall = performance.now();
  return () => {
    const cpuMs = (sampleProcess(pid)?.cpuMs ?? startCpu) - startCpu;
    const wallMs = performance.now() - startWall;
    return { cpuMs, wallMs, percentOfCore: wallMs > 0 ? (100 * cpuMs) / wallMs : 0 };
  };
}

/**
 * The anonymous resident memory of a process (`RssAnon` in `/proc/<pid>/status`, proc(5)), in BYTES: RSS without
 * file-backed pages, so a memory-mapped database's pages do not count.
 * @returns `undefined` when the process is gone or the kernel does not report it (never throws).
 */
export function rssAnonBytes(pid: number): number | undefined {
  try {
    const kib = /^RssAnon:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}
