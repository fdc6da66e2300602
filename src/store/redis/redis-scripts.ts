import type { Redis } from 'ioredis';
import { ACTIVITY_LUA } from './registration-scripts.js';
import { CLAIM_LUA, RELEASE_LUA, REPLACE_CHECKPOINTS_LUA, UNLOCK_LUA } from './checkpoint-scripts.js';
import { AFTER_LUA, APPEND_LUA } from './telemetry-scripts.js';

/** One Lua script as a call: `keys` and `args` as the script's header says; the reply as Redis sends it. */
export type ScriptCall = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/** The Redis engine's scripts (see the `*-scripts.ts` files for what each takes and returns). */
export interface StoreScripts {
  append: ScriptCall;
  after: ScriptCall;
  claim: ScriptCall;
  release: ScriptCall;
  unlock: ScriptCall;
  replaceCheckpoints: ScriptCall;
  activity: ScriptCall;
}

const SCRIPTS: Record<keyof StoreScripts, string> = {
  append: APPEND_LUA, after: AFTER_LUA, claim: CLAIM_LUA, release: RELEASE_LUA, unlock: UNLOCK_LUA,
  replaceCheckpoints: REPLACE_CHECKPOINTS_LUA, activity: ACTIVITY_LUA,
};

/**
 * Defines the scripts on `client` (ioredis `defineCommand`: EVALSHA, falling back to EVAL once after a server
 * restart or SCRIPT FLUSH) and returns them as calls; each has the client's command timeout.
 */
export function defineStoreScripts(client: Redis): StoreScripts {
  const calls = {} as StoreScripts;
  for (const [name, lua] of Object.entries(SCRIPTS) as [keyof StoreScripts, string][]) {
    const command = `gw_${name}`;
    client.defineCommand(command, { lua });
    const run = (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[command] as (...args: unknown[]) => Promise<unknown>;
    calls[name] = (keys, args) => run.call(client, keys.length, ...keys, ...args);
  }
  return calls;
}
