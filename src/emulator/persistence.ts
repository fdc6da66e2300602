import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventHub, PreparedEvent } from './event-hub.js';
import type { LogPosition, PartitionLog } from './partition-log.js';

/**
 * The `--data-file` store: one line per event, replayed at start, rewritten at start and on close with only the
 * retained events (so retention also bounds the file). {@link writeDurably} appends a batch with one write and one
 * fdatasync (the group commit calls it before anything is acknowledged or read). Events are kept as their encoded
 * AMQP messages, so a restarted emulator serves the same bytes with the same sequence numbers and offsets — a reader
 * resuming at "sequence number > N" neither skips nor repeats.
 *
 * Line formats (tab-separated): `e <partition> <seq> <offset> <enqueued ms> <size> <message base64>`, and
 * `n <partition> <next seq> <next offset> <last enqueued ms> <last offset>` for a partition without retained events.
 */
export class Persistence {
  private constructor(private readonly file: string, private readonly handle: FileHandle, private size: number) {}

  /**
   * Replays `file` (if it exists) into `hub`, rewrites it with the retained events and opens it for appending.
   * @throws when the file or its directory cannot be read or written.
   */
  static async open(file: string, hub: EventHub): Promise<Persistence> {
    await mkdir(dirname(file), { recursive: true });
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const now = Date.now();
    for (const line of text.split('\n')) replayLine(line, hub, now);
    await compact(file, hub);
    const handle = await open(file, 'a');
    return new Persistence(file, handle, (await handle.stat()).size);
  }

  /**
   * Appends `events` with one write and one fdatasync. On failure, cuts the file back to its last durable size (best
   * effort), so a batch that was refused does not come back at the next start. @throws the write or sync error.
   */
  async writeDurably(events: PreparedEvent[]): Promise<void> {
    const bytes = Buffer.from(events.map((e) => lineOf(e.log, e.position, e.message)).join(''));
    try {
      for (let written = 0; written < bytes.length;) written += (await this.handle.write(bytes, written)).bytesWritten;
      await this.handle.datasync();
      this.size += bytes.length;
    } catch (error) {
      await this.handle.truncate(this.size).catch(() => undefined);
      throw error;
    }
  }

  /** Closes the file, then rewrites it with only the retained events (atomically, via a rename). */
  async close(hub: EventHub): Promise<void> {
    await this.handle.close();
    await compact(this.file, hub);
  }
}

function lineOf(log: PartitionLog, p: LogPosition, message: Buffer): string {
  return `e\t${log.partitionId}\t${p.sequenceNumber}\t${p.offset}\t${p.enqueuedMs}\t${p.size}\t${message.toString('base64')}\n`;
}

/** Writes the retained events (and the next position of each empty partition) to `file`: tmp, fsync, rename, fsync dir. */
async function compact(file: string, hub: EventHub): Promise<void> {
  const now = Date.now();
  const lines: string[] = [];
  for (const log of hub.partitions) {
    log.trim(now);
    if (log.size === 0) {
      lines.push(`n\t${log.partitionId}\t${log.nextSequenceNumber}\t${log.nextOffset}\t${log.lastEnqueuedMs}\t${log.lastOffset}\n`);
    }
    for (let seq = log.beginSequenceNumber; seq < log.nextSequenceNumber; seq++) {
      const position = log.positionOf(seq);
      const message = log.get(seq);
      if (position && message) lines.push(lineOf(log, position, message));
    }
  }
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(lines.join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  const directory = await open(dirname(file), 'r').catch(() => undefined); // not every platform opens directories
  await directory?.sync().catch(() => undefined);
  await directory?.close();
}

/** Applies one stored line; ignores malformed ones (a torn last line after a crash) and non-contiguous events. */
function replayLine(line: string, hub: EventHub, nowMs: number): void {
  const f = line.split('\t');
  const log = hub.partition(f[1] ?? '');
  const n = f.slice(2, 6).map(Number);
  if (!log || n.length < 4 || n.some((v) => !Number.isSafeInteger(v))) return;
  const [a, b, c, d] = n as [number, number, number, number];
  if (f[0] === 'n' && f.length === 6 && log.size === 0) {
    log.nextSequenceNumber = log.beginSequenceNumber = a;
    log.nextOffset = b;
    log.lastEnqueuedMs = c;
    log.lastOffset = d;
  } else if (f[0] === 'e' && f.length === 7 && (log.size === 0 ? a >= log.nextSequenceNumber : a === log.nextSequenceNumber)) {
    log.append({ sequenceNumber: a, offset: b, enqueuedMs: c, size: d }, Buffer.from(f[6] as string, 'base64'), nowMs);
  }
}
