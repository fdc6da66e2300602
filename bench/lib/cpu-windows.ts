import type { BenchChild } from './bench-child.js';
import { startCpuWindow, type CpuWindow } from './proc-stats.js';
import { processFigure, type ProcessFigure } from './results.js';

/** Starts CPU windows on `children` and returns the function that ends them all as {@link ProcessFigure}s. */
export function cpuWindows(children: [BenchChild, ProcessFigure['role']][]): () => ProcessFigure[] {
  const ends = children.map(([c]) => startCpuWindow(c.pid));
  return () => children.map(([c, role], i) => processFigure(c, role, (ends[i] as () => CpuWindow)()));
}
