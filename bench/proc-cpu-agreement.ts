// Does /proc see the CPU the service itself sees? An external service is measured from outside (the
// scheduler's run time of every thread, src/measure/process-tree.ts); the built-in one reports its own
// (process.cpuUsage(), getrusage). This runs the built-in service untraced and always_on, loads it in
// windows, and reads both instruments around each window: their ratio is how far the outside view agrees.
//   npx tsx bench/proc-cpu-agreement.ts [WINDOWS=10] [WINDOW_SEC=2]
import { EmbeddedCollector } from '../src/collector/index.ts';
import { median } from '../src/compare/summary.ts';
import { runClosedLoop } from '../src/load/closed-loop.ts';
import { processCost } from '../src/measure/process-tree.ts';
import { pinHarnessAndService } from '../src/run/pinning.ts';
import { BuiltinService } from '../src/sut/builtin/builtin.ts';
import { resolveShape } from '../src/sut/builtin/shape.ts';
import { calibrateIterationsPerUs } from '../src/sut/builtin/work.ts';
import { killAllChildren } from '../src/sut/children.ts';
import { newestServicePid } from './service-pid.ts';

const windows = Number(process.argv[2] ?? 10);
const windowSec = Number(process.argv[3] ?? 2);
if (!(windows >= 1 && windowSec > 0)) {
  console.error('usage: npx tsx bench/proc-cpu-agreement.ts [WINDOWS>=1] [WINDOW_SEC>0]');
  process.exit(2);
}
process.on('exit', killAllChildren);
process.on('SIGINT', () => process.exit(130));

const pinning = pinHarnessAndService();
const collector = await EmbeddedCollector.start();
const service = new BuiltinService({ shape: resolveShape(undefined), iterationsPerUs: calibrateIterationsPerUs(), host: '127.0.0.1', port: 0, serviceName: 'agreement' });
const variants = { untraced: { OTEL_SDK_DISABLED: 'true' }, always_on: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint } };

console.log(`${windows} windows of ${windowSec} s per variant, closed loop, 16 connections; ${pinning.pinned ? `service on CPU ${pinning.serviceCpus}` : 'not pinned'}`);
for (const [name, tracingEnv] of Object.entries(variants)) {
  const running = await service.start({ tracingEnv, cpus: pinning.serviceCpus, instrumentation: 'service' });
  const pid = newestServicePid();
  await runClosedLoop({ url: running.url, connections: 16, durationSec: 3 }); // warm-up
  const ratios: number[] = [];
  for (let w = 0; w < windows; w++) {
    const inside0 = await running.cpuTimeUs();
    const outside0 = processCost(pid).cpuUs;
    await runClosedLoop({ url: running.url, connections: 16, durationSec: windowSec });
    const outside1 = processCost(pid).cpuUs;
    const inside1 = await running.cpuTimeUs();
    ratios.push((outside1 - outside0) / (inside1 - inside0));
  }
  await running.shutdown(10_000);
  const pct = (r: number) => `${((r - 1) * 100).toFixed(2)}%`;
  console.log(`${name}: /proc ÷ process.cpuUsage() per window: median ${pct(median(ratios))}, range ${pct(Math.min(...ratios))} … ${pct(Math.max(...ratios))}`);
}
await collector.stop();
