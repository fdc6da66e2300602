/**
 * Preloaded into the gateway process by the bench (`node --import tsx --expose-gc --import ./bench/gateway-probe.ts
 * src/server.ts`) so the runner can ask for heap figures over IPC without a hook in `src/`: answers the built-in
 * `usage` command (memory after a full GC, CPU). The IPC channel is unref'd: the gateway still exits by itself.
 */
import { serveIpc } from './lib/ipc-child.js';

if (process.send) serveIpc({ probe: 'gateway' }, {}, undefined, { unref: true });
