// Does a pause before a window change what the window costs? In the pool a process idles while the other
// variants take their slices, then is measured. Here one warm process per variant runs cycles of: idle
// for --idle seconds, a window right after the pause (A), a window right after that one (B). A ÷ B in the
// same process, cycle by cycle, is what the pause adds; set against untraced's it is what it adds to a Δ.
//   npx tsx bench/idle-gap.ts [--processes 2] [--cycles 8] [--idle 9] [--window 2] [--warmup-requests 5000]
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedCollector } from '../src/collector/index.ts';
import { median } from '../src/compare/summary.ts';
import { runClosedLoop } from '../src/load/closed-loop.ts';
import { schedBetween, schedSnapshot } from '../src/measure/sched.ts';
import { pinHarnessAndService } from '../src/run/pinning.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { BuiltinService } from '../src/sut/builtin/builtin.ts';
import { calibrateIterationsPerUs } from '../src/sut/builtin/work.ts';
import { killAllChildren } from '../src/sut/children.ts';
import type { RunningService } from '../src/sut/service-under-test.ts';

const args = yargs(hideBin(process.argv))
  .option('processes', { type: 'number', default: 2, describe: 'processes per variant, one after another' })
  .option('cycles', { type: 'number', default: 8 })
  .option('idle', { type: 'number', default: 9, describe: 'seconds of idling before window A' })
  .option('window', { type: 'number', default: 2, describe: 'seconds of each window' })
  .option('warmup-requests', { type: 'number', default: 5000 })
  .option('variants', { type: 'string', default: 'untraced,always_on', describe: "quick's variants to run, comma-separated" })
  .strict()
  .parseSync();
process.on('exit', killAllChildren);
process.on('SIGINT', () => process.exit(130));

const scenario = await loadScenario('quick');
const pinning = pinHarnessAndService();
const collector = await EmbeddedCollector.start();
const service = new BuiltinService({ shape: scenario.shape, iterationsPerUs: calibrateIterationsPerUs(), host: '127.0.0.1', port: 0, serviceName: 'idle-gap' });
const variants = args.variants.split(',').map((name) => {
  const v = scenario.variants.find((x) => x.name === name);
  if (!v) {
    console.error(`bench/idle-gap.ts: ${name} is not a variant of quick (${scenario.variants.map((x) => x.name).join(', ')})`);
    process.exit(2);
  }
  return v;
});

/** One window: CPU µs/request, and the scheduler's view per request. */
async function window(running: RunningService) {
  const before = schedSnapshot(running.pid!);
  const cpu0 = await running.cpuTimeUs();
  running.beginWindow();
  await runClosedLoop({ url: running.url, connections: 16, durationSec: args.window });
  const stats = await running.endWindow();
  const cpu = (await running.cpuTimeUs()) - cpu0;
  const sched = before ? schedBetween(before, schedSnapshot(running.pid!)!) : null;
  const requests = stats.requests!;
  const gc = stats.cost.gc;
  return { usPerRequest: cpu / requests, gcUsPerRequest: gc ? ((gc.minor.ms + gc.major.ms) * 1000) / requests : Number.NaN, helperUsPerRequest: sched ? sched.helperThreadsUs / requests : Number.NaN };
}

const ratios = new Map<string, { cost: number[]; gc: number[]; helper: number[] }>(variants.map((v) => [v.name, { cost: [], gc: [], helper: [] }]));
for (let p = 0; p < args.processes; p++) {
  for (const v of p % 2 === 0 ? variants : [...variants].reverse()) {
    const running = await service.start({
      tracingEnv: { ...v.env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      cpus: pinning.serviceCpus,
      instrumentation: 'service',
    });
    await runClosedLoop({ url: running.url, connections: 16, durationSec: 120, requests: args.warmupRequests });
    const mine = ratios.get(v.name)!;
    for (let c = 0; c < args.cycles; c++) {
      await sleep(args.idle * 1000);
      const a = await window(running);
      const b = await window(running);
      mine.cost.push((a.usPerRequest / b.usPerRequest - 1) * 100);
      mine.gc.push(a.gcUsPerRequest - b.gcUsPerRequest);
      mine.helper.push(a.helperUsPerRequest - b.helperUsPerRequest);
      console.error(`${v.name} process ${p + 1} cycle ${c + 1}: after the pause ${a.usPerRequest.toFixed(0)} µs/request, right after ${b.usPerRequest.toFixed(0)}`);
    }
    await running.shutdown(10_000);
  }
}
await collector.stop();

console.log(`\n${args.processes} processes per variant, each warmed by ${args.warmupRequests} requests, then ${args.cycles} cycles of ${args.idle} s idle, window A, window B (${args.window} s each, 16 connections)\n`);
console.log('| variant | A ÷ B − 1, median % (range) | A − B, GC µs/request | A − B, helper threads µs/request |');
console.log('|---|---|---|---|');
for (const [name, r] of ratios) {
  console.log(`| ${name} | ${median(r.cost).toFixed(1)} (${Math.min(...r.cost).toFixed(1)} … ${Math.max(...r.cost).toFixed(1)}) | ${median(r.gc).toFixed(1)} | ${median(r.helper).toFixed(1)} |`);
}
