// How many requests does a fresh service process need before its CPU/request settles? Fresh processes of
// untraced and always_on, alternated, each loaded alone in 1-s windows from its start; every window's
// CPU/request is set against the same process's late windows (its warm level), and grouped by how many
// requests the process had answered when the window began. The warm-up of a block (load.warmupRequests)
// should reach the group where the cost stops falling.
//   npx tsx bench/warmup-curve.ts [--processes 4] [--windows 40] [--connections 16]
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedCollector } from '../src/collector/index.ts';
import { median } from '../src/compare/summary.ts';
import { runClosedLoop } from '../src/load/closed-loop.ts';
import { pinHarnessAndService } from '../src/run/pinning.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { BuiltinService } from '../src/sut/builtin/builtin.ts';
import { calibrateIterationsPerUs } from '../src/sut/builtin/work.ts';
import { killAllChildren } from '../src/sut/children.ts';

const args = yargs(hideBin(process.argv))
  .option('processes', { type: 'number', default: 4, describe: 'fresh processes per variant' })
  .option('windows', { type: 'number', default: 40, describe: '1-s windows per process' })
  .option('connections', { type: 'number', default: 16 })
  .strict()
  .parseSync();
process.on('exit', killAllChildren);
process.on('SIGINT', () => process.exit(130));

const scenario = await loadScenario('quick');
const pinning = pinHarnessAndService();
const collector = await EmbeddedCollector.start();
const service = new BuiltinService({ shape: scenario.shape, iterationsPerUs: calibrateIterationsPerUs(), host: '127.0.0.1', port: 0, serviceName: 'warmup-curve' });
const variants = ['untraced', 'always_on'].map((name) => scenario.variants.find((v) => v.name === name)!);
/** Requests answered before a window, grouped: [0, 500), [500, 1000), [1000, 2000), … */
const edges = [0, 500, 1000, 2000, 4000, 8000, 16000, 32000, Number.POSITIVE_INFINITY];
const groupOf = (answered: number) => edges.findIndex((e, i) => answered >= e && answered < edges[i + 1]);
const relative = new Map<string, number[][]>(variants.map((v) => [v.name, edges.slice(0, -1).map(() => [])]));

for (let p = 0; p < args.processes; p++) {
  for (const v of p % 2 === 0 ? variants : [...variants].reverse()) {
    const running = await service.start({
      tracingEnv: { ...v.env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      cpus: pinning.serviceCpus,
      instrumentation: 'service',
    });
    const windows: { answered: number; usPerRequest: number }[] = [];
    let answered = running.startupRequests ?? 0;
    let cpu = await running.cpuTimeUs();
    for (let w = 0; w < args.windows; w++) {
      running.beginWindow();
      const load = await runClosedLoop({ url: running.url, connections: args.connections, durationSec: 1 });
      const stats = await running.endWindow();
      const now = await running.cpuTimeUs();
      const requests = stats.requests ?? load.requests;
      windows.push({ answered, usPerRequest: (now - cpu) / requests });
      answered += requests;
      cpu = now;
    }
    await running.shutdown(10_000);
    // The warm level: the median of the process's last quarter of windows.
    const warm = median(windows.slice(-Math.max(2, Math.floor(windows.length / 4))).map((w) => w.usPerRequest));
    for (const w of windows) relative.get(v.name)![groupOf(w.answered)].push((w.usPerRequest / warm - 1) * 100);
    console.error(`${v.name} process ${p + 1}: ${answered} requests in ${args.windows} windows, warm ${warm.toFixed(0)} µs/request, first window ${windows[0].usPerRequest.toFixed(0)}`);
  }
}
await collector.stop();

console.log(`\n${args.processes} fresh processes per variant, ${args.windows} windows of 1 s alone on the service's core, ${args.connections} connections`);
console.log('CPU/request above the same process\'s warm level (its last quarter of windows), median %, by requests answered before the window:\n');
console.log(`| variant | ${edges.slice(0, -1).map((e, i) => `${e}–${Number.isFinite(edges[i + 1]) ? edges[i + 1] : ''}`).join(' | ')} |`);
console.log(`|---|${edges.slice(0, -1).map(() => '---').join('|')}|`);
for (const [name, groups] of relative) console.log(`| ${name} | ${groups.map((g) => (g.length ? `${median(g) >= 0 ? '+' : ''}${median(g).toFixed(1)} (${g.length})` : '–')).join(' | ')} |`);
