import type { Clock, ClockTimer } from '../config/clock.js';
import type { HubLogger } from './hub-consumer-options.js';

/** How often repeated hub warnings and errors are summed up, in ms. */
export const REPEAT_SUMMARY_MS = 60_000;
/** Distinct repeated lines counted at once: past it, more new ones are logged as they come. */
const MAX_TRACKED = 100;

/** What a DNS failure of the hub's host name adds to its log line. */
export const ENOTFOUND_HINT = 'check the namespace (host name) in the connection string';

/** A hub logger that writes each distinct warning once per outage and sums up the repeats; `reset` ends the outage. */
export interface RepeatLog extends HubLogger {
  /** The hub connected: every line is new again, and what was counted is summed up now. */
  reset(): void;
  /** Sums up what was counted and stops the clock. */
  close(): void;
}

/**
 * Wraps the hub's logger so that an unreachable hub, whose every retry fails the same way, logs each distinct
 * warning or error once, then every {@link REPEAT_SUMMARY_MS} on the clock one line per repeated one: `<line>
 * (<n> more times in the last 60 s)`. Info lines (state changes) pass as they are. A line naming `ENOTFOUND` gets
 * {@link ENOTFOUND_HINT}. At most {@link MAX_TRACKED} distinct lines are tracked.
 */
export function repeatLog(logger: HubLogger, clock: Clock): RepeatLog {
  const counts = new Map<string, { level: 'warn' | 'error'; repeats: number }>();
  const summarize = () => {
    for (const [line, entry] of counts) {
      if (entry.repeats > 0) logger[entry.level](`${line} (${entry.repeats} more times in the last ${REPEAT_SUMMARY_MS / 1000} s)`);
      entry.repeats = 0;
    }
  };
  const timer: ClockTimer = clock.setInterval(summarize, REPEAT_SUMMARY_MS);
  const gated = (level: 'warn' | 'error') => (msg: string) => {
    const line = /\bENOTFOUND\b/.test(msg) ? `${msg} (${ENOTFOUND_HINT})` : msg;
    const seen = counts.get(line);
    if (seen) {
      seen.repeats += 1;
      return;
    }
    if (counts.size < MAX_TRACKED) counts.set(line, { level, repeats: 0 });
    logger[level](line);
  };
  return {
    info: (msg) => logger.info(msg),
    warn: gated('warn'),
    error: gated('error'),
    reset() {
      summarize();
      counts.clear();
    },
    close() {
      summarize();
      timer.cancel();
    },
  };
}
