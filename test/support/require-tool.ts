import { spawnSync } from 'node:child_process';

/** A program a test needs from the machine (a Debian package), and how to check for it. */
export interface ToolCheck {
  /** What is missing, as a user would install it, e.g. `Debian's python3-azure (apt-get install python3-azure)`. */
  install: string;
  /** Whether the tool is usable here; a check must not take more than a few seconds. */
  present(): boolean;
  /** What the skipped tests would have shown, for the note, e.g. `the Python SDK reads the emulator`. */
  purpose: string;
}

/**
 * Whether the suites that need a tool are skipped: `true` when the tool is missing here (a note on stderr says what to
 * install), unless `REQUIRE_TOOLS=1` (CI), where its absence throws instead, so the suite fails.
 * Follows the `REQUIRE_REDIS` pattern of test/support/redis-server.ts.
 * @throws Error naming what to install, when the tool is missing and `REQUIRE_TOOLS=1`.
 */
export function skipWithoutTool(check: ToolCheck): boolean {
  if (check.present()) return false;
  if (process.env.REQUIRE_TOOLS === '1') throw new Error(`${check.install} is required (REQUIRE_TOOLS=1) for: ${check.purpose}`);
  process.stderr.write(`note: ${check.install} is missing, so the tests where ${check.purpose} are skipped (CI requires them)\n`);
  return true;
}

/** Whether `command args...` exits 0 within `timeoutMs` (default 10 s), with no output shown. */
export function commandSucceeds(command: string, args: string[], timeoutMs = 10_000): boolean {
  const run = spawnSync(command, args, { stdio: 'ignore', timeout: timeoutMs });
  return run.status === 0;
}
