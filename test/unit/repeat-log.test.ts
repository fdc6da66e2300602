import { describe, expect, it } from 'vitest';
import { ENOTFOUND_HINT, repeatLog } from '../../src/hub/repeat-log.js';
import { FakeClock } from '../support/fake-clock.js';

function capture() {
  const lines: string[] = [];
  const at = (level: string) => (msg: string) => void lines.push(`${level} ${msg}`);
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const RETRY = "hub consumer cannot read the partitions' positions: AggregateError: connect ECONNREFUSED 127.0.0.1:5671";

describe('repeatLog', () => {
  it('logs an unreachable hub once per state change and one summary a minute, not a line per retry', () => {
    const clock = new FakeClock();
    const { lines, logger } = capture();
    const log = repeatLog(logger, clock);
    log.info('hub consumer connecting: waiting for partition list');
    log.warn(RETRY);
    log.error('hub consumer error: AggregateError: connect ECONNREFUSED 127.0.0.1:5671');
    // The consumer retries every 2 s: 30 failures a minute, for three minutes.
    for (let i = 1; i < 3 * 30; i++) {
      clock.advance(2000);
      log.warn(RETRY);
    }
    clock.advance(2000);
    expect(lines).toEqual([
      'info hub consumer connecting: waiting for partition list',
      `warn ${RETRY}`,
      'error hub consumer error: AggregateError: connect ECONNREFUSED 127.0.0.1:5671',
      `warn ${RETRY} (29 more times in the last 60 s)`,
      `warn ${RETRY} (30 more times in the last 60 s)`,
      `warn ${RETRY} (30 more times in the last 60 s)`,
    ]);
    clock.advance(600_000);
    expect(lines).toHaveLength(6);

    log.info('hub consumer connected');
    log.reset();
    log.warn(RETRY);
    expect(lines.slice(6)).toEqual(['info hub consumer connected', `warn ${RETRY}`]);
    log.close();
    expect(clock.pendingCount).toBe(0);
  });

  it('adds the namespace hint to a DNS failure', () => {
    const { lines, logger } = capture();
    const log = repeatLog(logger, new FakeClock());
    log.warn('hub consumer cannot read the partitions\' positions: getaddrinfo ENOTFOUND ihsuxxxx.servicebus.windows.net');
    expect(lines).toEqual([`warn hub consumer cannot read the partitions' positions: getaddrinfo ENOTFOUND ihsuxxxx.servicebus.windows.net (${ENOTFOUND_HINT})`]);
    expect(ENOTFOUND_HINT).toBe('check the namespace (host name) in the connection string');
    log.close();
  });
});
