// How steady is one round's overhead ratio (always_on CPU µs/request ÷ untraced) on this machine, measured
// one variant after the other versus side by side? Two long-lived services, many short windows, two pairs
// of processes per design. This is the measurement behind the concurrent mode and the `ci` scenario.
//   npx tsx bench/side-by-side-noise.ts [WINDOWS=12] [WINDOW_SEC=1] [RATE=250]
import { EmbeddedCollector } from '../src/collector/index.ts';
import { runClosedLoop } from '../src/load/closed-loop.ts';
import { runOpenLoop } from '../src/load/open-loop.ts';
import { pinHarnessAndService } from '../src/run/pinning.ts';
import { BuiltinService } from '../src/sut/builtin/builtin.ts';
import { killAllChildren } from '../src/sut/children.ts';
import type { RunningService } from '../src/sut/service-under-test.ts';
import { resolveShape } from '../src/sut/builtin/shape.ts';
import { calibrateIterationsPerUs } from '../src/sut/builtin/work.ts';
import type { WindowStats } from '../src/model/index.ts';

const windows = Number(process.argv[2] ?? 12);
const windowSec = Number(process.argv[3] ?? 1);
const ratePerSec = Number(process.argv[4] ?? 250);
if (!(windows >= 2 && windowSec > 0 && ratePerSec > 0)) {
  console.error('usage: npx tsx bench/side-by-side-noise.ts [WINDOWS>=2] [WINDOW_SEC>0] [RATE>0]');
  process.exit(2);
}
process.on('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});

const pinning = pinHarnessAndService();
const collector = await EmbeddedCollector.start();
const iterationsPerUs = calibrateIterationsPerUs();
const untracedEnv = { OTEL_SDK_DISABLED: 'true' };
const tracedEnv = { OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint };
const service = new BuiltinService({ shape: resolveShape(undefined), iterationsPerUs, host: '127.0.0.1', port: 0, serviceName: 'noise' });
const start = (tracingEnv: Record<string, string>) => service.start({ tracingEnv, cpus: pinning.serviceCpus, instrumentation: 'service' });
const cpuPerRequest = (w: WindowStats) => (w.cost.cpuUserUs + w.cost.cpuSystemUs) / w.requests!;
const closed = (s: RunningService, sec: number) => runClosedLoop({ url: s.url, connections: 16, durationSec: sec });
const open = (s: RunningService, sec: number) => runOpenLoop({ url: s.url, connections: 64, durationSec: sec, ratePerSec });

async function measured(s: RunningService, drive: () => Promise<unknown>): Promise<number> {
  s.beginWindow();
  await drive();
  return cpuPerRequest(await s.endWindow());
}

/** Ratios of one pair of fresh processes: traced ÷ untraced per window. */
async function pairRatios(design: string): Promise<number[]> {
  const started: RunningService[] = [];
  try {
    started.push(await start(untracedEnv));
    started.push(await start(tracedEnv));
    const [u, t] = started;
    const ratios: number[] = [];
    if (design === 'side by side, open loop') {
      await Promise.all([open(u, 5), open(t, 5)]);
      for (let w = 0; w < windows; w++) {
        const [cu, ct] = await Promise.all([measured(u, () => open(u, windowSec)), measured(t, () => open(t, windowSec))]);
        ratios.push(ct / cu);
      }
    } else {
      const drive = design === 'one after the other, closed loop' ? closed : open;
      await drive(u, 3);
      await drive(t, 5);
      for (let w = 0; w < windows; w++) {
        // Alternate which goes first so a trend within a window pair does not favour one side.
        const order = w % 2 ? [u, t] : [t, u];
        const cost = new Map<RunningService, number>();
        for (const s of order) cost.set(s, await measured(s, () => drive(s, windowSec)));
        ratios.push(cost.get(t)! / cost.get(u)!);
      }
    }
    return ratios;
  } finally {
    for (const s of started) s.kill();
  }
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const sd = (a: number[]) => {
  const mean = a.reduce((x, y) => x + y, 0) / a.length;
  return Math.sqrt(a.reduce((x, y) => x + (y - mean) ** 2, 0) / (a.length - 1));
};

console.log(`${windows} windows of ${windowSec} s per pair of processes; open loop at ${ratePerSec} req/s each; ${pinning.pinned ? `service on CPU ${pinning.serviceCpus}` : 'unpinned'}`);
console.log('design                              pair  ratio median  ratio sd  ratios');
for (const design of ['one after the other, closed loop', 'one after the other, open loop', 'side by side, open loop']) {
  for (let pair = 1; pair <= 2; pair++) {
    const ratios = await pairRatios(design);
    console.log(
      `${design.padEnd(34)}  ${String(pair).padStart(4)}  ${median(ratios).toFixed(3).padStart(12)}  ${sd(ratios).toFixed(3).padStart(8)}  ${ratios.map((r) => r.toFixed(2)).join(' ')}`,
    );
  }
}
await collector.stop();
