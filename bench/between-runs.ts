// Do runs of the same scenario agree with each other as well as their intervals say? Reads run folders
// (e.g. `quick` five times in a row) and, for every variant and every pair of runs, checks
// |Δ1 − Δ2| ≤ 1.96 · √(se1² + se2²) on the log scale, each se taken from its run's own interval
// (half-width ÷ its t quantile). Prints each run's Δ CPU/request and the agreeing pairs per variant.
//   npx tsx bench/between-runs.ts DIR…
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { studentT975 } from '../src/compare/stats.ts';
import type { RunDocument } from '../src/model/index.ts';

const dirs = process.argv.slice(2);
if (dirs.length < 2) {
  console.error('usage: npx tsx bench/between-runs.ts DIR DIR… (run folders of the same scenario)');
  process.exit(2);
}
const runs = dirs.map((dir) => JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunDocument);
const names = runs[0].variants.filter((v) => v.comparison.cpuUsPerRequest.change).map((v) => v.name);
const pct = (x: number) => `${x >= 1 ? '+' : '−'}${Math.abs((x - 1) * 100).toFixed(1)}%`;

console.log(`${runs.length} runs of ${runs[0].scenario.name}: Δ CPU/request [95% interval] per run, and the pairs of runs that agree within their combined intervals\n`);
console.log(`| variant | ${runs.map((_, i) => `run ${i + 1}`).join(' | ')} | pairs agreeing |`);
console.log(`|---|${runs.map(() => '---').join('|')}|---|`);
for (const name of names) {
  const estimates = runs.map((r) => {
    const m = r.variants.find((v) => v.name === name)!.comparison.cpuUsPerRequest;
    const df = m.levels?.df ?? 1;
    return { change: m.change!, log: Math.log(m.change!.ratio), se: (Math.log(m.change!.high) - Math.log(m.change!.low)) / (2 * studentT975(df)) };
  });
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < estimates.length; i++) {
    for (let j = i + 1; j < estimates.length; j++) {
      pairs++;
      const [a, b] = [estimates[i], estimates[j]];
      if (Math.abs(a.log - b.log) <= 1.96 * Math.sqrt(a.se ** 2 + b.se ** 2)) agree++;
    }
  }
  const cells = estimates.map((e) => `${pct(e.change.ratio)} [${pct(e.change.low)}, ${pct(e.change.high)}]`);
  console.log(`| ${name} | ${cells.join(' | ')} | ${agree} of ${pairs} |`);
}
const noise = runs.map((r) => (r.noise ? `${r.noise.sliceSdPct.toFixed(1)}% / ${r.noise.processSdPct.toFixed(1)}%` : '–'));
console.log(`\nthe day's noise, slice sd / process sd per run: ${noise.join(', ')}; wall time per run: ${runs.map((r) => `${Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000)} s`).join(', ')}`);
