import { existsSync } from 'node:fs';

/**
 * Whether a suite that needs the Debian binary at `path` is skipped. Installed: `false`. Missing: with
 * `REQUIRE_TOOLS=1` (CI; or the tool's own `requireKey`, e.g. `REQUIRE_REDIS`) it throws, so the suite fails;
 * otherwise a note naming `uses` and `install` goes to stderr and it returns `true`.
 * @throws Error naming the package to install, when the tool is required.
 */
export function skipWithoutTool(path: string, options: { uses: string; install: string; requireKey?: string }): boolean {
  if (existsSync(path)) return false;
  const required = process.env.REQUIRE_TOOLS === '1' || (options.requireKey !== undefined && process.env[options.requireKey] === '1');
  if (required) throw new Error(`${path} is missing: install it (${options.install}); REQUIRE_TOOLS=1 makes the tests that need it fail instead of skip`);
  process.stderr.write(`note: ${path} is not installed, so ${options.uses} are skipped (${options.install} runs them; CI requires them)\n`);
  return true;
}
