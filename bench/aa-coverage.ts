// Are the intervals honest? A/A runs: the untraced baseline and copies of it under other names, plus a
// traced variant (always_off by default) so the blocks hold a traced process too, run as a user would
// run a scenario (rounds until precise within a budget, blocks of fresh processes). Every copy's Δ
// CPU/request has no true change, so about 95% of its 95% intervals must contain zero. Prints the
// coverage, for every compared metric, the verdicts, and each run's own noise figure.
//   npx tsx bench/aa-coverage.ts [--runs 40] [--copies 1] [--traced always_off] [--budget 60] [--processes pool] [--duration 2] [--warmup 2]
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runScenario } from '../src/run/run.ts';
import { validateScenario } from '../src/scenario/validate.ts';
import { killAllChildren } from '../src/sut/children.ts';
import type { ComparedMetric, RunDocument } from '../src/model/index.ts';

const args = yargs(hideBin(process.argv))
  .option('runs', { type: 'number', default: 40 })
  .option('copies', { type: 'number', default: 1, describe: 'untraced copies beside the baseline: A/A intervals per run' })
  .option('traced', { type: 'string', default: 'always_off', describe: 'the traced variant beside them (OTEL_TRACES_SAMPLER)' })
  .option('budget', { type: 'number', default: 60, describe: 'maxTimeSec of each run' })
  .option('precision', { type: 'number', default: 2 })
  .option('processes', { type: 'string', default: 'pool' })
  .option('duration', { type: 'number', default: 2 })
  .option('warmup', { type: 'number', default: 2 })
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
    // The copies are the A/A check here, named as the sentinel would be.
    sentinel: false,
    variants: [
      // The first untraced variant is the baseline; the copies after it are the A/A comparisons.
      { name: 'untraced', env: untraced },
      ...Array.from({ length: args.copies }, (_, i) => ({ name: `untraced ${String.fromCharCode(66 + i)}`, env: untraced })),
      { name: args.traced, env: { OTEL_TRACES_SAMPLER: args.traced } },
    ],
  },
  'bench/aa-coverage.ts',
);

const metrics: ComparedMetric[] = ['cpuUsPerRequest', 'requestsPerSec', 'serverTimeP50', 'serverTimeP99', 'clientLatencyP50', 'clientLatencyP99'];
const intervals: { run: number; variant: string; metric: ComparedMetric; ratio: number; low: number; high: number; verdict: string | null; rounds: number; blocks: number; sliceSdPct: number }[] = [];
for (let run = 1; run <= args.runs; run++) {
  const doc: RunDocument = await runScenario(scenario, {});
  for (const v of doc.variants.filter((x) => x.name.startsWith('untraced ') && x.name !== doc.baseline)) {
    for (const metric of metrics) {
      const m = v.comparison[metric];
      intervals.push({ run, variant: v.name, metric, ...m.change!, verdict: m.verdict, rounds: doc.design.roundsRun, blocks: doc.design.roundsPerBlock?.length ?? 0, sliceSdPct: doc.noise?.sliceSdPct ?? Number.NaN });
    }
  }
  const cpu = intervals.filter((i) => i.run === run && i.metric === 'cpuUsPerRequest');
  const noise = doc.noise;
  console.error(
    `run ${run}: ${doc.design.roundsRun} rounds in ${doc.design.roundsPerBlock?.length ?? '–'} blocks (${doc.design.stoppedBecause}, ${Math.round(doc.design.measuredSec)} s); ` +
      `noise: slice sd ${noise?.sliceSdPct.toFixed(1)}%, process sd ${noise?.processSdPct.toFixed(1)}%; ` +
      cpu.map((i) => `${i.variant} ${((i.ratio - 1) * 100).toFixed(2)}% [${((i.low - 1) * 100).toFixed(2)}, ${((i.high - 1) * 100).toFixed(2)}] ${i.verdict}`).join('; '),
  );
}

const slice = intervals.filter((i) => i.metric === 'cpuUsPerRequest').map((i) => i.sliceSdPct).sort((a, b) => a - b);
console.log(`\n${args.runs} A/A runs × ${args.copies} copies of untraced beside ${args.traced} (${args.processes}, ${args.duration} s slices, ${args.budget} s budget, precision ±${args.precision})`);
console.log(`the day's noise: the untraced baseline's slice sd ${slice[0]?.toFixed(1)} … ${slice.at(-1)?.toFixed(1)}%, median ${slice[slice.length >> 1]?.toFixed(1)}%\n`);
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
