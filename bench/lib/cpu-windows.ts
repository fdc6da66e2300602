import type { BenchChild } from './bench-child.js';
import { sampleMachineBusyMs, startCpuWindow, type CpuWindow } from './proc-stats.js';
import { processFigure, type ProcessFigure } from './results.js';

/**
 * Starts CPU windows on `children` and returns the function that ends them all as {@link ProcessFigure}s, plus one
 * figure `other processes` (role `other`): the machine's busy CPU time in the window (`/proc/stat`) minus that of
 * `children`, i.e. what the rest of the machine (other users, the runner) took while the bench was measuring.
 */
export function cpuWindows(children: [BenchChild, ProcessFigure['role']][]): () => ProcessFigure[] {
  const machineStart = sampleMachineBusyMs();
  const wallStart = performance.now();
  const ends = children.map(([c]) => startCpuWindow(c.pid));
  return () => {
    const figures = children.map(([c, role], i) => processFigure(c, role, (ends[i] as () => CpuWindow)()));
    const machineEnd = sampleMachineBusyMs();
    const wallMs = performance.now() - wallStart;
    if (machineStart === undefined || machineEnd === undefined || wallMs <= 0) return figures;
    const otherMs = Math.max(0, machineEnd - machineStart - figures.reduce((sum, f) => sum + f.cpuMs, 0));
    figures.push({ name: 'other processes', role: 'other', cpuMs: Math.round(otherMs), cpuPercentOfCore: Math.round((100 * otherMs) / wallMs), peakRssMiB: null });
    return figures;
  };
}
