// Is the default design's Δ the service's own? The default (`quick`, blocks of warm processes, each slice
// alone on the service's core while the others idle there) against the service alone: a fresh process
// per variant, nothing else on its core, loaded by wrk and measured from /proc, an instrument that shares
// no code with tracetax's load driver or its CPU reading. Repetitions alternate the two, so both see the
// same hour's machine, and every repetition gives a paired difference per variant; the interval over the
// repetitions holds every level that varies between them (processes, blocks, the minute's noise).
//   npx tsx bench/accuracy.ts [--reps 6] [--warmup 3] [--duration 6] [--out FILE]
// Needs wrk on the PATH (Debian: apt-get install wrk).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedCollector } from '../src/collector/index.ts';
import { studentT975 } from '../src/compare/stats.ts';
import { processCost } from '../src/measure/process-tree.ts';
import { newSeed, roundOrderStream } from '../src/run/order.ts';
import { pinHarnessAndService } from '../src/run/pinning.ts';
import { runScenario } from '../src/run/run.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { BuiltinService } from '../src/sut/builtin/builtin.ts';
import { calibrateIterationsPerUs } from '../src/sut/builtin/work.ts';
import { killAllChildren } from '../src/sut/children.ts';
import { newestServicePid } from './service-pid.ts';
import type { RunDocument } from '../src/model/index.ts';

const args = yargs(hideBin(process.argv))
  .option('reps', { type: 'number', default: 6, describe: 'repetitions: one quick run and one wrk block each' })
  .option('warmup', { type: 'number', default: 3, describe: 'seconds of wrk before each measured wrk window' })
  .option('duration', { type: 'number', default: 6, describe: 'seconds of each measured wrk window' })
  .option('connections', { type: 'number', default: 16 })
  .option('out', { type: 'string', describe: 'write every repetition as JSON here' })
  .strict()
  .parseSync();
try {
  execFileSync('wrk', ['--version'], { stdio: 'ignore' });
} catch (error) {
  // wrk --version exits 1 after printing its version; only a missing binary is an error.
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    console.error('bench/accuracy.ts: wrk is not on the PATH: install it (Debian: apt-get install wrk)');
    process.exit(2);
  }
}
process.on('exit', killAllChildren);
process.on('SIGINT', () => process.exit(130));

const scenario = await loadScenario('quick');
const pinning = pinHarnessAndService();
const collector = await EmbeddedCollector.start();
const service = new BuiltinService({ shape: scenario.shape, iterationsPerUs: calibrateIterationsPerUs(), host: '127.0.0.1', port: 0, serviceName: 'accuracy' });
const traced = scenario.variants.slice(1).map((v) => v.name);
// The wrk block's variant order per repetition, shuffled (Fisher–Yates) from a fresh seed.
const nextOrder = roundOrderStream(scenario.variants.length, newSeed());

/** wrk's request count over a run against `url` (it runs on the harness's core: it inherits this process's affinity). */
function wrk(url: string, seconds: number): number {
  const out = execFileSync('wrk', ['-t1', `-c${args.connections}`, `-d${seconds}s`, url], { encoding: 'utf8' });
  const requests = /(\d+) requests in/.exec(out);
  if (!requests) throw new Error(`wrk printed no request count:\n${out}`);
  return Number(requests[1]);
}

/** One fresh process of a variant, alone on the service's core: CPU µs per request from /proc over a wrk window after a wrk warm-up. */
async function alone(env: Readonly<Record<string, string>>): Promise<number> {
  const running = await service.start({
    tracingEnv: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
    cpus: pinning.serviceCpus,
    instrumentation: 'service',
  });
  try {
    const pid = newestServicePid();
    wrk(running.url, args.warmup);
    const before = processCost(pid).cpuUs;
    const requests = wrk(running.url, args.duration);
    return (processCost(pid).cpuUs - before) / requests;
  } finally {
    await running.shutdown(10_000);
  }
}

interface Repetition {
  readonly rep: number;
  /** The default design's Δ CPU/request per traced variant, %, with its own interval. */
  readonly design: Record<string, { pct: number; low: number; high: number }>;
  /** The same Δ from wrk + /proc on the service alone, %. */
  readonly alone: Record<string, number>;
  /** Untraced CPU µs/request: the design's geometric mean of slices, and wrk + /proc's. */
  readonly untracedUs: { design: number; alone: number };
  readonly noise: { sliceSdPct: number; processSdPct: number } | null;
}

const reps: Repetition[] = [];
for (let rep = 1; rep <= args.reps; rep++) {
  // Which half runs first alternates, so neither always sees the machine's later minutes.
  const designFirst = rep % 2 === 1;
  let doc: RunDocument;
  const aloneUs: Record<string, number> = {};
  const runAlone = async () => {
    const order = nextOrder().map((i) => scenario.variants[i].name);
    for (const name of order) aloneUs[name] = await alone(scenario.variants.find((v) => v.name === name)!.env);
  };
  if (designFirst) {
    doc = await runScenario(scenario, {});
    await runAlone();
  } else {
    await runAlone();
    doc = await runScenario(scenario, {});
  }
  const pct = (r: number) => (r - 1) * 100;
  const design = Object.fromEntries(
    traced.map((name) => {
      const c = doc.variants.find((v) => v.name === name)!.comparison.cpuUsPerRequest.change!;
      return [name, { pct: pct(c.ratio), low: pct(c.low), high: pct(c.high) }];
    }),
  );
  const base = doc.variants[0].trials.map((t) => t.cpuUsPerRequest);
  const r: Repetition = {
    rep,
    design,
    alone: Object.fromEntries(traced.map((name) => [name, pct(aloneUs[name] / aloneUs.untraced)])),
    untracedUs: { design: Math.exp(base.reduce((s, x) => s + Math.log(x), 0) / base.length), alone: aloneUs.untraced },
    noise: doc.noise ? { sliceSdPct: doc.noise.sliceSdPct, processSdPct: doc.noise.processSdPct } : null,
  };
  reps.push(r);
  console.error(
    `rep ${rep} (${designFirst ? 'design first' : 'wrk first'}): untraced ${r.untracedUs.design.toFixed(0)} µs/req in the design, ${r.untracedUs.alone.toFixed(0)} alone; ` +
      traced.map((n) => `${n} ${design[n].pct.toFixed(1)}% [${design[n].low.toFixed(1)}, ${design[n].high.toFixed(1)}] vs alone ${r.alone[n].toFixed(1)}%`).join('; ') +
      (r.noise ? `; noise: slice sd ${r.noise.sliceSdPct.toFixed(1)}%, process sd ${r.noise.processSdPct.toFixed(1)}%` : ''),
  );
}
await collector.stop();

/** Mean and 95% half-width of a sample (Student t over the repetitions). */
function meanCI(xs: readonly number[]): string {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  return `${mean >= 0 ? '+' : ''}${mean.toFixed(1)} ± ${((studentT975(n - 1) * sd) / Math.sqrt(n)).toFixed(1)}`;
}

const slice = reps.flatMap((r) => (r.noise ? [r.noise.sliceSdPct] : [])).sort((a, b) => a - b);
console.log(`\n${args.reps} repetitions: quick as shipped against wrk + /proc on each variant alone (${args.warmup} s warm-up, ${args.duration} s window, ${args.connections} connections)`);
console.log(`the day's noise: quick's untraced slice sd ${slice[0]?.toFixed(1)} … ${slice.at(-1)?.toFixed(1)}%\n`);
console.log('| variant | Δ CPU/request, design (mean ± 95%, points) | Δ alone, wrk + /proc | design − alone, paired |');
console.log('|---|---|---|---|');
for (const name of traced) {
  const d = reps.map((r) => r.design[name].pct);
  const a = reps.map((r) => r.alone[name]);
  console.log(`| ${name} | ${meanCI(d)} | ${meanCI(a)} | ${meanCI(d.map((x, i) => x - a[i]))} |`);
}
const ratio = reps.map((r) => (r.untracedUs.design / r.untracedUs.alone - 1) * 100);
console.log(`\nuntraced CPU µs/request, design ÷ alone: ${meanCI(ratio)}%`);
if (args.out) writeFileSync(args.out, `${JSON.stringify(reps, null, 2)}\n`);
