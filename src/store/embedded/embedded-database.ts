import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from '@azure/event-hubs';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { TelemetryMessage } from '../../telemetry/telemetry-message.js';
import type { StoredRegistration } from '../registration-store.js';
import { lockStateDir } from './state-dir-lock.js';

/** The database file under `STATE_DIR`; lmdb keeps its lock file beside it (`gateway.mdb-lock`). */
export const DATABASE_FILE = 'gateway.mdb';

/** Per device: the counters of its stored messages and the dedupe state. */
export interface DeviceRecord {
  /** Counter of the oldest held message. */
  first: number;
  /** Counter the next stored message gets. */
  next: number;
  /** Highest stored sequence number per partition ID. */
  last: Record<string, number>;
}

/** What `meta` holds: the idle mark, the record of a `registrations.json` import and of the hub that took older registrations. */
export type MetaKey = 'idle' | 'registrations-imported' | 'registrations-adopted';

/**
 * The embedded engine's named databases in one lmdb environment (values in lmdb's msgpack encoding, ordered array
 * keys): `messages` [deviceId, counter] → message; `positions` [deviceId, partitionId, sequenceNumber] → counter;
 * `devices` deviceId → {@link DeviceRecord}; `checkpoints` [namespace, hub, consumer group, partition] → checkpoint;
 * `registrations` deviceId → registration; `meta` {@link MetaKey} → value.
 */
export interface EmbeddedDatabase {
  root: RootDatabase;
  /** Releases the state directory's owner lock (after `root.close()`). */
  unlock(): Promise<void>;
  messages: Database<TelemetryMessage, [string, number]>;
  positions: Database<number, [string, string, number]>;
  devices: Database<DeviceRecord, string>;
  checkpoints: Database<Checkpoint, [string, string, string, string]>;
  /** With `order`, the registration's place in registration order. */
  registrations: Database<StoredRegistration & { order?: number }, string>;
  meta: Database<unknown, MetaKey>;
}

/**
 * Opens (creating when missing) `<stateDir>/gateway.mdb` (lmdb's defaults: durable commits, crash-proof), for this
 * process only (see `state-dir-lock.ts`).
 * @throws Error when another process has it open, or from lmdb when the file cannot be opened (unreadable, not an
 *   lmdb file).
 */
export async function openEmbeddedDatabase(
  stateDir: string,
  lock: { waitMs?: number; onLost?: (error: Error) => void } = {},
): Promise<EmbeddedDatabase> {
  await mkdir(stateDir, { recursive: true });
  const unlock = await lockStateDir(stateDir, { waitMs: lock.waitMs, onCompromised: lock.onLost ?? (() => undefined) });
  let root: RootDatabase;
  try {
    root = open({ path: join(stateDir, DATABASE_FILE), noSubdir: true, maxDbs: 8, encoding: 'msgpack' });
  } catch (error) {
    await unlock();
    throw error;
  }
  return {
    root,
    unlock,
    messages: root.openDB('messages', {}),
    positions: root.openDB('positions', {}),
    devices: root.openDB('devices', {}),
    checkpoints: root.openDB('checkpoints', {}),
    registrations: root.openDB('registrations', {}),
    meta: root.openDB('meta', {}),
  };
}
