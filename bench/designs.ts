// Which measurement design gives the tightest honest interval for the time? Runs the same four variants
// (untraced, a second untraced under another name, always_off, always_on) under each design with the
// same time budget, repeated, designs interleaved in a shuffled order, and reports per design: rounds
// reached, the half-width each run claimed for Δ CPU/request, how much the Δ really moved between
// runs (its standard deviation), and how often the A/A interval (untraced B against untraced)
// contained zero, for two interval methods computed from the same rounds.
//   npx tsx bench/designs.ts [--reps 4] [--budget 45] [--designs pool-1s,pool-2s,pool-4s,fresh] [--out FILE]
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { halfWidthPts } from '../src/compare/precision.ts';
import { bootstrapPairedRatio, mulberry32, pairedRatioT } from '../src/compare/stats.ts';
import { comparedMetrics, roundPairs } from '../src/compare/summary.ts';
import { runScenario } from '../src/run/run.ts';
import { validateScenario } from '../src/scenario/validate.ts';
import { killAllChildren } from '../src/sut/children.ts';
import type { ProcessDesign, RatioEstimate, RunDocument } from '../src/model/index.ts';

interface Design {
  readonly processes: ProcessDesign;
  readonly durationSec: number;
  readonly warmupSec: number;
}

const designs: Readonly<Record<string, Design>> = {
  'pool-1s': { processes: 'pool', durationSec: 1, warmupSec: 3 },
  'pool-2s': { processes: 'pool', durationSec: 2, warmupSec: 3 },
  'pool-4s': { processes: 'pool', durationSec: 4, warmupSec: 3 },
  fresh: { processes: 'fresh', durationSec: 2, warmupSec: 3 },
  // As shipped: 5-s warm-ups.
  'pool-1s-w5': { processes: 'pool', durationSec: 1, warmupSec: 5 },
  'pool-2s-w5': { processes: 'pool', durationSec: 2, warmupSec: 5 },
  'pairs-1s-w5': { processes: 'pairs', durationSec: 1, warmupSec: 5 },
  'pairs-2s-w5': { processes: 'pairs', durationSec: 2, warmupSec: 5 },
};

const args = yargs(hideBin(process.argv))
  .option('reps', { type: 'number', default: 4 })
  .option('budget', { type: 'number', default: 45, describe: 'seconds per run, the same for every design' })
  .option('designs', { type: 'string', default: Object.keys(designs).join(',') })
  .option('seed', { type: 'number', default: 1 })
  .option('out', { type: 'string', describe: 'write every run\'s Δs and intervals as JSON here' })
  .strict()
  .parseSync();
const chosen = args.designs.split(',');
for (const d of chosen) {
  if (!(d in designs)) {
    console.error(`bench/designs.ts: unknown design '${d}': use ${Object.keys(designs).join(', ')}`);
    process.exit(2);
  }
}
process.on('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});

const variants = [
  { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
  { name: 'untraced B', env: { OTEL_SDK_DISABLED: 'true' } },
  { name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
];

interface Outcome {
  design: string;
  rep: number;
  rounds: number;
  seconds: number;
  variants: Record<string, { median: RatioEstimate; mean: RatioEstimate }>;
  /** Each variant's CPU µs/request per round, for a look at the noise itself. */
  cpuPerRound: Record<string, number[]>;
}

function outcome(design: string, rep: number, run: RunDocument, seconds: number): Outcome {
  const base = run.variants[0].trials;
  const out: Outcome['variants'] = {};
  for (const v of run.variants.slice(1)) {
    const pairs = roundPairs(v.trials, base, comparedMetrics.cpuUsPerRequest);
    out[v.name] = { median: bootstrapPairedRatio(pairs), mean: pairedRatioT(pairs) };
  }
  const cpuPerRound = Object.fromEntries(run.variants.map((v) => [v.name, v.trials.map((t) => Math.round(t.cpuUsPerRequest))]));
  return { design, rep, rounds: run.design.roundsRun, seconds, variants: out, cpuPerRound };
}

// Every repetition runs each design once, in a shuffled order, so drift over the session hits all alike.
const random = mulberry32(args.seed);
const outcomes: Outcome[] = [];
for (let rep = 1; rep <= args.reps; rep++) {
  const order = [...chosen].sort(() => random() - 0.5);
  for (const name of order) {
    const d = designs[name];
    const scenario = validateScenario(
      { name: `designs-${name}`, description: 'design comparison', load: { durationSec: d.durationSec, warmupSec: d.warmupSec }, processes: d.processes, precision: 0.001, maxTimeSec: args.budget, variants },
      'bench/designs.ts',
    );
    const t0 = performance.now();
    const run = await runScenario(scenario, {});
    const o = outcome(name, rep, run, (performance.now() - t0) / 1000);
    outcomes.push(o);
    const cells = Object.entries(o.variants).map(([v, e]) => `${v} ${((e.mean.ratio - 1) * 100).toFixed(1)}% ±${halfWidthPts(e.mean).toFixed(1)}`);
    console.error(`rep ${rep} ${name}: ${o.rounds} rounds in ${o.seconds.toFixed(0)} s; ${cells.join('; ')}`);
  }
}

const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pct = (r: RatioEstimate) => (r.ratio - 1) * 100;

console.log(`\n${args.reps} runs per design, ${args.budget} s budget each; Δ CPU/request in % of untraced\n`);
console.log('| design | rounds | variant | Δ mean over runs | sd of Δ between runs | claimed half-width, median over runs (bootstrap of the median) | the same (t, mean of logs) | A/A intervals holding 0 (bootstrap / t) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const name of chosen) {
  const mine = outcomes.filter((o) => o.design === name);
  for (const variant of variants.slice(1).map((v) => v.name)) {
    const est = mine.map((o) => o.variants[variant]);
    const deltas = est.map((e) => pct(e.mean));
    const aa = variant === 'untraced B' ? `${est.filter((e) => e.median.low <= 1 && e.median.high >= 1).length}/${est.length} / ${est.filter((e) => e.mean.low <= 1 && e.mean.high >= 1).length}/${est.length}` : '';
    console.log(
      `| ${name} | ${median(mine.map((o) => o.rounds))} | ${variant} | ${(deltas.reduce((a, b) => a + b, 0) / deltas.length).toFixed(1)} | ${sd(deltas).toFixed(2)} | ` +
        `±${median(est.map((e) => halfWidthPts(e.median))).toFixed(2)} | ±${median(est.map((e) => halfWidthPts(e.mean))).toFixed(2)} | ${aa} |`,
    );
  }
}
if (args.out) writeFileSync(args.out, `${JSON.stringify(outcomes, null, 2)}\n`);
killAllChildren();
