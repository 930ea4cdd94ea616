// Are the intervals honest? A/A runs: the untraced baseline and copies of it under other names, plus
// always_on so the pool holds a traced process too, run as a user would run a scenario (rounds until
// precise within a budget). Every copy's Δ CPU/request has no true change, so about 95% of its 95%
// intervals must contain zero. Prints the coverage, for every compared metric, and the verdicts.
//   npx tsx bench/aa-coverage.ts [--runs 8] [--copies 3] [--budget 120] [--processes pairs] [--duration 2] [--warmup 5]
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runScenario } from '../src/run/run.ts';
import { validateScenario } from '../src/scenario/validate.ts';
import { killAllChildren } from '../src/sut/children.ts';
import type { ComparedMetric, RunDocument } from '../src/model/index.ts';

const args = yargs(hideBin(process.argv))
  .option('runs', { type: 'number', default: 8 })
  .option('copies', { type: 'number', default: 3, describe: 'untraced copies beside the baseline: A/A intervals per run' })
  .option('budget', { type: 'number', default: 120, describe: 'maxTimeSec of each run' })
  .option('precision', { type: 'number', default: 2 })
  .option('processes', { type: 'string', default: 'pairs' })
  .option('duration', { type: 'number', default: 2 })
  .option('warmup', { type: 'number', default: 5 })
  .option('out', { type: 'string', describe: 'write every A/A interval as JSON here' })
  .strict()
  .parseSync();
process.on('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});

const untraced = { OTEL_SDK_DISABLED: 'true' };
const scenario = validateScenario(
  {
    name: 'aa-coverage',
    description: 'A/A: copies of untraced against untraced',
    load: { durationSec: args.duration, warmupSec: args.warmup },
    processes: args.processes,
    precision: args.precision,
    maxTimeSec: args.budget,
    variants: [
      // The first untraced variant is the baseline; the copies after it are the A/A comparisons.
      { name: 'untraced', env: untraced },
      ...Array.from({ length: args.copies }, (_, i) => ({ name: `untraced ${String.fromCharCode(66 + i)}`, env: untraced })),
      { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    ],
  },
  'bench/aa-coverage.ts',
);

const metrics: ComparedMetric[] = ['cpuUsPerRequest', 'requestsPerSec', 'serverTimeP50', 'serverTimeP99', 'clientLatencyP50', 'clientLatencyP99'];
const intervals: { run: number; variant: string; metric: ComparedMetric; ratio: number; low: number; high: number; verdict: string | null; rounds: number }[] = [];
for (let run = 1; run <= args.runs; run++) {
  const doc: RunDocument = await runScenario(scenario, {});
  for (const v of doc.variants.filter((x) => x.name.startsWith('untraced ') && x.name !== doc.baseline)) {
    for (const metric of metrics) {
      const m = v.comparison[metric];
      intervals.push({ run, variant: v.name, metric, ...m.change!, verdict: m.verdict, rounds: doc.design.roundsRun });
    }
  }
  const cpu = intervals.filter((i) => i.run === run && i.metric === 'cpuUsPerRequest');
  console.error(
    `run ${run}: ${doc.design.roundsRun} rounds (${doc.design.stoppedBecause}); ` +
      cpu.map((i) => `${i.variant} ${((i.ratio - 1) * 100).toFixed(2)}% [${((i.low - 1) * 100).toFixed(2)}, ${((i.high - 1) * 100).toFixed(2)}] ${i.verdict}`).join('; '),
  );
}

console.log(`\n${args.runs} A/A runs × ${args.copies} copies of untraced (${args.processes}, ${args.duration} s slices, ${args.budget} s budget, precision ±${args.precision})\n`);
console.log('| metric | intervals holding 0 | coverage | verdicts: same / undecided / differs | median half-width, points |');
console.log('|---|---|---|---|---|');
for (const metric of metrics) {
  const mine = intervals.filter((i) => i.metric === metric);
  const held = mine.filter((i) => i.low <= 1 && i.high >= 1).length;
  const count = (v: string) => mine.filter((i) => i.verdict === v).length;
  const halves = mine.map((i) => ((i.high - i.low) / 2) * 100).sort((a, b) => a - b);
  console.log(`| ${metric} | ${held}/${mine.length} | ${((held / mine.length) * 100).toFixed(0)}% | ${count('same')} / ${count('undecided')} / ${count('differs')} | ±${halves[halves.length >> 1].toFixed(2)} |`);
}
if (args.out) writeFileSync(args.out, `${JSON.stringify(intervals, null, 2)}\n`);
killAllChildren();
