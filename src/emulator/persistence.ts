import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventHub } from './event-hub.js';
import type { LogPosition, PartitionLog } from './partition-log.js';

/** How long appended events wait before they are written in one batch (ms). */
const FLUSH_DELAY_MS = 20;

/**
 * The `--data-file` store: one line per event, appended in batches, replayed at start, rewritten on close with only
 * the retained events (so retention also bounds the file). Events are kept as their encoded AMQP messages, so a
 * restarted emulator serves the same bytes with the same sequence numbers and offsets — a reader resuming at
 * "sequence number > N" neither skips nor repeats.
 *
 * Line formats (tab-separated): `e <partition> <seq> <offset> <enqueued ms> <size> <message base64>`, and
 * `n <partition> <next seq> <next offset> <last enqueued ms> <last offset>` for a partition without retained events.
 */
export class Persistence {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  private constructor(private readonly file: string) {}

  /** Replays `file` (if it exists) into `hub` and returns the store that appends the hub's new events to it. */
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
    const store = new Persistence(file);
    await store.compact(hub);
    hub.onAppend((log, position, message) => store.record(log, position, message));
    return store;
  }

  /** Queues one event's line; written within {@link FLUSH_DELAY_MS} ms. */
  record(log: PartitionLog, p: LogPosition, message: Buffer): void {
    this.pending.push(`e\t${log.partitionId}\t${p.sequenceNumber}\t${p.offset}\t${p.enqueuedMs}\t${p.size}\t${message.toString('base64')}\n`);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes every queued line. @throws the first write error seen. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.join('');
    this.pending = [];
    if (batch) {
      this.writing = this.writing.then(() => appendFile(this.file, batch)).catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      });
    }
    await this.writing;
    if (this.failure) throw this.failure;
  }

  /** Flushes, then rewrites the file with only the retained events (atomically, via a rename). */
  async close(hub: EventHub): Promise<void> {
    await this.flush();
    await this.compact(hub);
  }

  private async compact(hub: EventHub): Promise<void> {
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
        if (position && message) this.recordInto(lines, log, position, message);
      }
    }
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, lines.join(''));
    await rename(tmp, this.file);
  }

  private recordInto(lines: string[], log: PartitionLog, p: LogPosition, message: Buffer): void {
    lines.push(`e\t${log.partitionId}\t${p.sequenceNumber}\t${p.offset}\t${p.enqueuedMs}\t${p.size}\t${message.toString('base64')}\n`);
  }
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
