/**
 * `npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top]`: prints where a process spent its CPU, from a V8 CPU
 * profile written by `node --cpu-prof` or by `npm run bench -- --profile` (one per gateway measurement window): the functions
 * with the most self time, and the time per package (`node_modules/<pkg>`, `src/...`, `node:` internals), in
 * MILLISECONDS and percent of the sampled time. Format: Chrome DevTools Protocol `Profiler.Profile`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package or area a script URL belongs to, e.g. `@azure/event-hubs`, `src/telemetry`, `node:internal`. */
function areaOf(url: string): string {
  if (!url) return '(native/idle/gc)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const src = /\/(src\/[^/]+|bench)\//.exec(url);
  if (src) return src[1] as string;
  return url.startsWith('node:') ? url.split('/')[0] as string : url;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
for (const [id, us] of selfUs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  total += us;
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${frame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const area = frame.functionName === '(idle)' ? '(idle)' : areaOf(frame.url);
  byArea.set(area, (byArea.get(area) ?? 0) + us);
}
const show = (title: string, map: Map<string, number>, top: number) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
show('by area (self time)', byArea, 20);
show('by function (self time)', byFunction, Number(topArg ?? 25));
