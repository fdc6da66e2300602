/**
 * `npm run bench [-- --quick] [--only=ingest,seed,fanout,broadcast,rest,memory,redis,embedded,aggregates] [--profile] [--size.<key>=<n>[,<n>...]]`: runs
 * the benchmark scenarios (scenarios/), each side by side with its baseline in the same run, prints a markdown
 * table and writes
 * `bench/results/<YYYY-MM-DD>[-quick].json`. Every process (emulator, gateway, baselines, load clients) is a child
 * process; `--profile` records a CPU profile of each gateway measurement window (in the log directory's `profiles/`);
 * `--size.<key>` overrides one of the sizes in lib/bench-context.ts, e.g. `--size.fanoutSubscribers=1000`.
 * `--soak [--soak-minutes N]` runs only the soak (scenarios/soak.ts, default 8 minutes; not in CI) and writes
 * `bench/results/<YYYY-MM-DD>-soak.json`.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchChild } from './lib/bench-child.js';
import { FULL_SIZES, QUICK_SIZES, withOverrides, type BenchContext } from './lib/bench-context.js';
import { machineInfo } from './lib/machine-info.js';
import { REPO_ROOT } from './lib/repo-root.js';
import { markdownTable, processTable, type ResultRow } from './lib/results.js';
import { aggregatesScenario } from './scenarios/aggregates.js';
import { broadcastScenario } from './scenarios/broadcast-sample.js';
import { embeddedScenario } from './scenarios/embedded.js';
import { fanoutScenario } from './scenarios/fanout.js';
import { ingestScenario } from './scenarios/ingest.js';
import { memoryScenario } from './scenarios/memory.js';
import { redisScenario } from './scenarios/redis.js';
import { restScenario } from './scenarios/rest.js';
import { seedScenario } from './scenarios/seed-comparison.js';
import { soakScenario } from './scenarios/soak.js';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ResultRow[]>> = {
  ingest: ingestScenario,
  seed: seedScenario,
  fanout: fanoutScenario,
  broadcast: broadcastScenario,
  rest: restScenario,
  memory: memoryScenario,
  redis: redisScenario,
  embedded: embeddedScenario,
  aggregates: aggregatesScenario,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const soak = args.includes('--soak');
const soakMinutesArg = args.find((a) => a.startsWith('--soak-minutes'));
const soakMinutes = soakMinutesArg === undefined ? undefined : Number(soakMinutesArg.split('=')[1] ?? args[args.indexOf(soakMinutesArg) + 1]);
if (soakMinutes !== undefined && !(soakMinutes > 0)) {
  console.error('--soak-minutes needs a positive number of minutes, e.g. --soak-minutes 2 or --soak-minutes=2');
  process.exit(2);
}
if (soak) SCENARIOS.soak = soakScenario; // never part of a normal run
const only = soak ? ['soak'] : args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = only?.filter((name) => !(name in SCENARIOS)) ?? [];
if (unknown.length) {
  console.error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
process.on('exit', () => BenchChild.killAll());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, stopping every child process`);
    process.exit(130);
  });
}
const logDir = await mkdtemp(join(tmpdir(), 'gateway-bench-'));
const profileDir = join(logDir, 'profiles');
const started = Date.now();
const ctx: BenchContext = {
  quick,
  sizes: { ...withOverrides(quick ? QUICK_SIZES : FULL_SIZES, args), ...(soakMinutes ? { soakMinutes } : {}) },
  logDir,
  profileDir: args.includes('--profile') ? profileDir : null,
  log: (line) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`),
};
const machine = machineInfo();
ctx.log(`${quick ? 'quick' : 'full'} run on ${machine.cpus} × ${machine.cpuModel}, Node.js ${machine.node}, load ${machine.loadAverage.join(' ')}; logs in ${logDir}`);

const rows: ResultRow[] = [];
const failures: { scenario: string; error: string }[] = [];
for (const [name, scenario] of Object.entries(SCENARIOS)) {
  if (only && !only.includes(name)) continue;
  try {
    rows.push(...(await scenario(ctx)));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`${name} FAILED: ${message}`);
    failures.push({ scenario: name, error: message });
  }
}

const durationS = Math.round((Date.now() - started) / 1000);
const table = markdownTable(rows);
const cpuTable = processTable(rows);
const date = new Date().toISOString().slice(0, 10);
const resultsDir = join(REPO_ROOT, 'bench', 'results');
await mkdir(resultsDir, { recursive: true });
const file = join(resultsDir, `${date}${soak ? '-soak' : quick ? '-quick' : ''}.json`);
await writeFile(file, `${JSON.stringify({ date, quick, durationS, machine, sizes: ctx.sizes, rows, failures, table, cpuTable }, null, 2)}\n`);
console.log(`\n${table}\n\n${cpuTable}\n`);
console.log(`${machine.cpus} × ${machine.cpuModel}, Node.js ${machine.node}, ${quick ? 'quick' : 'full'} run in ${durationS} s; results: ${file}; logs: ${logDir}`);
for (const f of failures) console.log(`FAILED ${f.scenario}: ${f.error}`);
process.exit(failures.length ? 1 : 0);
