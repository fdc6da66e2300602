import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../integration/support/eventually.js';
import { removeDir, tempStateDir, TEST_API_KEY } from '../integration/support/gateway.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** ANSI escape sequences (pino-pretty's colours, npm's cursor moves) and npm's braille spinner. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]|[\u2800-\u28ff]/g;

/**
 * `npm start` in demo mode with `env`, its stdout a terminal when `tty` (util-linux `script -qfc`, as a user's
 * shell runs it), else a pipe. Resolves with the child once its output holds the banner's URL and `until`.
 */
async function npmStart(env: Record<string, string>, tty: boolean, until: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const fullEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', API_KEY: TEST_API_KEY, ...env };
  const child = tty
    ? spawn('script', ['-qfc', 'npm start', '/dev/null'], { cwd: ROOT, env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    : spawn('npm', ['start'], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8').replace(ANSI, '').replace(/\r/g, '')));
  // npm's ASCII spinner frames (\ | / -) end up before the first line its child prints.
  const text = () => output.replace(/^[\\|/-]+(?=[[{])/gm, '');
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await eventually(() => {
    expect(text()).toMatch(/URL:\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(text()).toMatch(until);
  }, { timeoutMs: 90_000, intervalMs: 100 });
  return { child, output: text };
}

describe('npm start on a terminal and on a pipe', () => {
  const started: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const child of started.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
      const exited = once(child, 'exit');
      process.kill(-child.pid, 'SIGTERM'); // the group this test started: script, npm, node
      await exited;
    }
    for (const dir of dirs.splice(0)) removeDir(dir);
  });
  const stateDir = () => {
    dirs.push(tempStateDir());
    return join(dirs.at(-1) as string, 'state');
  };

  it('prints readable lines on a terminal: time, level, message, and no JSON', async () => {
    const run = await npmStart({ STATE_DIR: stateDir() }, true, /INFO: telemetry household-meter-01 /);
    started.push(run.child);
    const lines = run.output().split("\n");
    expect(lines.some((l) => /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: demo mode: no EVENTHUB_CONNECTION_STRING, running on the local emulator/.test(l))).toBe(true);
    expect(lines.find((l) => l.includes('INFO: telemetry household-meter-01 '))).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: telemetry household-meter-01 \S+ /);
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(run.output().split(TEST_API_KEY).length - 1).toBe(2); // the banner's key line and its REST curl line only
  }, 120_000);

  it('prints pino JSON lines with LOG_FORMAT=json on a terminal, and by default on a pipe', async () => {
    for (const [env, tty] of [[{ LOG_FORMAT: 'json' }, true], [{}, false]] as const) {
      const run = await npmStart({ STATE_DIR: stateDir(), ...env }, tty, /"msg":"telemetry household-meter-01 /);
      started.push(run.child);
      const json = run.output().split('\n').filter((l) => l.startsWith('{'));
      const demo = json.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.startsWith('demo mode:'));
      expect(demo?.level).toBe(30);
      expect(run.output()).not.toMatch(/\] INFO: /);
    }
  }, 180_000);
});
