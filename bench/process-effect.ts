// Does a service process carry an effect of its own for its whole life? Starts several processes of the
// same settings (untraced, and always_on) in one warm pool, measures them in rounds of short slices, and
// compares how much a process's mean CPU/request differs from its twins' (between processes) with how
// much its slices vary around its own mean (within a process). If processes differ by more than their
// slices' noise explains, one process per variant cannot give an honest interval: the design must measure
// several processes per variant.
//   npx tsx bench/process-effect.ts [--copies 4] [--rounds 10] [--slice 2] [--warmup 3] [--rate R]  (R: open loop, req/s)
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedCollector } from '../src/collector/index.ts';
import { roundOrderStream } from '../src/run/order.ts';
import { pinHarnessAndService } from '../src/run/pinning.ts';
import { PoolRounds } from '../src/run/pool.ts';
import { validateScenario } from '../src/scenario/validate.ts';
import { BuiltinService } from '../src/sut/builtin/builtin.ts';
import { killAllChildren } from '../src/sut/children.ts';
import { calibrateIterationsPerUs } from '../src/sut/builtin/work.ts';
import type { TrialResult } from '../src/model/index.ts';

const args = yargs(hideBin(process.argv))
  .option('copies', { type: 'number', default: 4 })
  .option('rounds', { type: 'number', default: 10 })
  .option('slice', { type: 'number', default: 2 })
  .option('warmup', { type: 'number', default: 3 })
  .option('rate', { type: 'number', describe: 'open loop at this many requests/s per process (default: the closed loop)' })
  .option('seed', { type: 'number', default: 1 })
  .strict()
  .parseSync();
process.on('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});

const pinning = pinHarnessAndService();
const collector = await EmbeddedCollector.start();
const configs = { untraced: { OTEL_SDK_DISABLED: 'true' }, always_on: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint } };
const scenario = validateScenario({ name: 'process-effect', description: 'process effect', load: { durationSec: args.slice, warmupSec: args.warmup, ...(args.rate ? { mode: 'open', rate: args.rate } : {}) }, trials: 1, variants: [{ name: 'unused', env: {} }] }, 'bench');
const service = new BuiltinService({ shape: scenario.shape, iterationsPerUs: calibrateIterationsPerUs(), host: '127.0.0.1', port: 0, serviceName: 'process-effect' });
// Every process is its own baseline: the pool runs one slice at a time and nothing is paired.
const members = Object.entries(configs).flatMap(([config, env], c) =>
  Array.from({ length: args.copies }, (_, i) => ({ variant: `${config} #${i + 1}`, config, service, launch: { tracingEnv: env, instrumentation: 'service' as const }, baseline: c * args.copies + i, collector: null })),
);
const settings = { load: scenario.load, ratePerSec: args.rate, serviceCpus: pinning.serviceCpus, flushTimeoutMs: 10_000, onPhase: () => {}, envPaddingBytes: () => 0 };
const nextOrder = roundOrderStream(members.length, args.seed);
const pool = await PoolRounds.start(members, settings, nextOrder(), false);
const trials: TrialResult[] = [];
for (let round = 1; round <= args.rounds; round++) {
  trials.push(...(await pool.round(round, nextOrder(), (round - 1) * members.length + 1)));
  console.error(`round ${round} of ${args.rounds}`);
}
await pool.finish();
await collector.stop();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const windowCpu = (t: TrialResult) => (t.window.cost.cpuUserUs + t.window.cost.cpuSystemUs) / t.window.requests!;
console.log(`\n${args.copies} processes per setting, ${args.rounds} rounds of ${args.slice}-s slices after a ${args.warmup}-s warm-up each\n`);
console.log('| setting | CPU charged | process means, µs/req | between processes, sd % | within a process, sd % of one slice | expected between from within alone, % |');
console.log('|---|---|---|---|---|---|');
for (const config of Object.keys(configs)) {
  for (const [label, pick] of [['round', (t: TrialResult) => t.cpuUsPerRequest], ['slice only', windowCpu]] as const) {
    // Each value relative to the mean of all this setting's processes in the same round, so drift between rounds cancels.
    const mine = members.filter((m) => m.config === config).map((m) => m.variant);
    const byRound = new Map<number, number>();
    for (let r = 1; r <= args.rounds; r++) byRound.set(r, mean(trials.filter((t) => t.trial === r && mine.includes(t.variant)).map(pick)));
    const relative = (t: TrialResult) => (pick(t) / byRound.get(t.trial)! - 1) * 100;
    const perProcess = mine.map((v) => trials.filter((t) => t.variant === v));
    const means = perProcess.map((ts) => mean(ts.map(relative)));
    const within = Math.sqrt(mean(perProcess.map((ts) => sd(ts.map(relative)) ** 2)));
    const absolute = perProcess.map((ts) => mean(ts.map(pick)).toFixed(0)).join(', ');
    console.log(`| ${config} | ${label} | ${absolute} | ${sd(means).toFixed(2)} | ${within.toFixed(2)} | ${(within / Math.sqrt(args.rounds)).toFixed(2)} |`);
  }
}
killAllChildren();
