// What are the slices that cost far more than their variant's usual? For each run folder, the slices above
// 1.5× their variant's median CPU/request against the others, per request: the main thread's run time,
// the helper threads' (GC, compiler, libuv), the CPU charged outside the window (work deferred from the
// slice before), the time ready but waiting for the core, the preemptions, the machine's steal. A spike
// made by the service itself shows in main or helper time; one made by a neighbour on its core shows in
// waiting and preemptions; one made by the host shows in steal.
//   npx tsx bench/spikes.ts DIR…   (run folders written with this tree: their slices carry `sched`)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../src/compare/summary.ts';
import type { RunDocument, TrialResult } from '../src/model/index.ts';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: npx tsx bench/spikes.ts DIR… (run folders with run.json)');
  process.exit(2);
}

interface Slice {
  readonly variant: string;
  readonly spike: boolean;
  readonly trial: TrialResult;
}

const slices: Slice[] = [];
for (const dir of dirs) {
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunDocument;
  for (const v of run.variants) {
    const usual = median(v.trials.map((t) => t.cpuUsPerRequest));
    for (const trial of v.trials) if (trial.sched) slices.push({ variant: v.name, spike: trial.cpuUsPerRequest > 1.5 * usual, trial });
  }
}
if (slices.length === 0) {
  console.error('bench/spikes.ts: no slice carries `sched`: run the scenario with this tree first');
  process.exit(2);
}

const perRequest = (t: TrialResult, x: number) => x / (t.window.requests ?? t.load.requests);
const columns: [string, (t: TrialResult) => number][] = [
  ['CPU µs/req', (t) => t.cpuUsPerRequest],
  ['main thread µs/req', (t) => perRequest(t, t.sched!.mainThreadUs)],
  ['helper threads µs/req', (t) => perRequest(t, t.sched!.helperThreadsUs)],
  ['charged outside the window µs/req', (t) => perRequest(t, t.cpuUs - t.sched!.mainThreadUs - t.sched!.helperThreadsUs)],
  ['waiting for the core µs/req', (t) => perRequest(t, t.sched!.runQueueWaitUs)],
  ['preemptions /s', (t) => t.sched!.involuntarySwitches / (t.load.durationSec || 1)],
  ['voluntary switches /req', (t) => perRequest(t, t.sched!.voluntarySwitches)],
  ['machine steal ms/s', (t) => t.sched!.machineStealUs / 1000 / (t.load.durationSec || 1)],
];

const spikes = slices.filter((s) => s.spike);
console.log(`${slices.length} slices from ${dirs.length} run${dirs.length === 1 ? '' : 's'}; ${spikes.length} above 1.5× their variant's median CPU/request`);
for (const v of [...new Set(slices.map((s) => s.variant))]) {
  const mine = slices.filter((s) => s.variant === v);
  const n = mine.filter((s) => s.spike).length;
  console.log(`  ${v}: ${n} of ${mine.length} (${((n / mine.length) * 100).toFixed(1)}%)`);
}
console.log('\n| per slice (median) | spikes | other slices |');
console.log('|---|---|---|');
const others = slices.filter((s) => !s.spike);
const med = (group: Slice[], f: (t: TrialResult) => number) => (group.length ? median(group.map((s) => f(s.trial))).toFixed(1) : '–');
for (const [name, f] of columns) console.log(`| ${name} | ${med(spikes, f)} | ${med(others, f)} |`);

// Where each variant's CPU goes, spikes or not: what the pool charges between slices is work the slice
// left behind (an export on the processor's timer) or work of an idle process (a GC when the load stops).
const variants = [...new Set(slices.map((s) => s.variant))];
console.log(`\n| per slice (median) | ${variants.join(' | ')} |`);
console.log(`|---|${variants.map(() => '---').join('|')}|`);
for (const [name, f] of columns) console.log(`| ${name} | ${variants.map((v) => med(slices.filter((s) => s.variant === v), f)).join(' | ')} |`);
