import { getHeapStatistics } from 'node:v8';
import { isIpcRequest, type ChildUsage, type IpcReply } from './ipc-protocol.js';

/** A command handler of a bench child: takes the request's `args`, returns (or resolves to) a JSON-able result. */
export type IpcHandler = (args: never) => unknown;

/**
 * Built-in `usage`: memory and CPU of this process. With `--expose-gc`, after three full GCs a turn of the event loop
 * apart: memory held outside the heap (Buffers' backing stores) is released by callbacks that run after a GC, so one
 * GC alone leaves some of it counted.
 */
export async function currentUsage(): Promise<ChildUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; gc && i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const cpu = process.cpuUsage();
  return {
    memory: process.memoryUsage(),
    afterGc: gc !== undefined,
    heapSizeLimit: getHeapStatistics().heap_size_limit,
    cpuMicros: cpu.user + cpu.system,
  };
}

/**
 * Serves the runner's commands in a child started with `child_process.fork`: each `{ id, cmd, args }` calls
 * `handlers[cmd](args)` and answers `{ id, ok, result | error }`. Built in: `usage` ({@link currentUsage}) and `exit`
 * (runs `onExit`, answers, then exits with code 0). Sends `{ ready: true, info }` at once. With `unref`, the IPC
 * channel does not keep the process alive (for a probe preloaded into a program that exits by itself).
 * @throws Error when the process has no IPC channel (not started by `fork`).
 */
export function serveIpc(
  info: unknown,
  handlers: Record<string, IpcHandler>,
  onExit?: () => Promise<void>,
  options: { unref?: boolean } = {},
): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('bench child started without an IPC channel (use child_process.fork)');
  const reply = (message: IpcReply) => send(message);
  process.on('message', (message: unknown) => {
    if (!isIpcRequest(message)) return;
    const { id, cmd, args } = message;
    void (async () => {
      try {
        if (cmd === 'usage') return reply({ id, ok: true, result: await currentUsage() });
        if (cmd === 'exit') {
          await onExit?.();
          reply({ id, ok: true });
          setTimeout(() => process.exit(0), 50);
          return;
        }
        const handler = handlers[cmd];
        if (!handler) throw new Error(`unknown command ${cmd}`);
        reply({ id, ok: true, result: await (handler as (a: unknown) => unknown)(args) });
      } catch (error) {
        reply({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  // The runner's exit ends children that are not told to exit (e.g. after a crash of the runner).
  process.on('disconnect', () => process.exit(0));
  if (options.unref) (process.channel as { unref?: () => void } | undefined)?.unref?.();
  send({ ready: true, info });
}
