/**
 * `npx tsx bench/emulator-device-api.ts [N] [concurrency] [--memory]`: device-API throughput of the emulator CLI in
 * its own process, N POSTs (default 5000) from 8 devices, `concurrency` (default 20) in flight, with `--data-file`
 * (a fresh temporary file) unless `--memory`. Prints events/s. Two runs: warm-up, then the measured one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/repo-root.js';

const [count = 5000, concurrency = 20] = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
const memory = process.argv.includes('--memory');
const dir = await mkdtemp(join(tmpdir(), 'emulator-bench-'));
const args = ['--import', 'tsx', 'src/emulator/cli.ts', '--amqp-port', '0', '--http-port', '0'];
const child = spawn(process.execPath, memory ? args : [...args, '--data-file', join(dir, 'events.log')], { cwd: REPO_ROOT });
let stdout = '';
const port = await new Promise<string>((resolve, reject) => {
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const match = /Device API: POST http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
    if (match) resolve(match[1] as string);
  });
  child.once('exit', () => reject(new Error(`emulator exited: ${stdout}`)));
});

async function run(n: number): Promise<number> {
  let next = 0;
  const body = JSON.stringify({ voltage: 234.84, current: 18.4, activePower: 4.216, measuredAt: '2006-12-16T17:24:00' });
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) {
      const response = await fetch(`http://127.0.0.1:${port}/devices/bench-device-${i % 8}/messages/events`, { method: 'POST', body });
      await response.arrayBuffer();
      if (response.status !== 204) throw new Error(`POST answered ${response.status}`);
    }
  }));
  return (n * 1000) / (performance.now() - started);
}

try {
  await run(Math.min(1000, count));
  const rate = await run(count);
  console.log(`${memory ? 'in memory' : 'with --data-file'}: ${count} POSTs, concurrency ${concurrency}: ${Math.round(rate)} events/s`);
} finally {
  child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
