/** A command from the bench runner to a child process, over the Node.js IPC channel (`child_process.fork`). */
export interface IpcRequest {
  id: number;
  cmd: string;
  args?: unknown;
}

/** The child's answer to one {@link IpcRequest}; `error` is the message of what the handler threw. */
export interface IpcReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Sent once by a child when it is ready to take commands, with what the runner needs (ports, URLs). */
export interface IpcReady {
  ready: true;
  info: unknown;
}

/** `process.memoryUsage()` and `process.cpuUsage()` of a child, answer of the built-in `usage` command. */
export interface ChildUsage {
  /** BYTES, as `process.memoryUsage()` reports them; `afterGc` says whether a full GC ran first (`--expose-gc`). */
  memory: NodeJS.MemoryUsage;
  afterGc: boolean;
  /** V8's heap size limit of the process (`v8.getHeapStatistics().heap_size_limit`), in BYTES. */
  heapSizeLimit: number;
  /** User + system CPU time, in MICROSECONDS (`process.cpuUsage()`). */
  cpuMicros: number;
}

/** True when `value` has the shape of an {@link IpcRequest}. */
export function isIpcRequest(value: unknown): value is IpcRequest {
  return typeof value === 'object' && value !== null && typeof (value as IpcRequest).id === 'number' &&
    typeof (value as IpcRequest).cmd === 'string';
}
