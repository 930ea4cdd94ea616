// The low-traffic anomaly outside the service: the OpenTelemetry SDK, its BatchSpanProcessor and the OTLP
// gRPC exporter alone, making traces of 8 spans at a fixed rate in a fresh process per setting, with the
// embedded collector of this process as the backend. Measures CPU per trace (process.cpuUsage, all
// threads) and GC pauses in consecutive windows of each process's life, so the batching regime can be
// told apart from everything the built-in service adds (HTTP, the topology, the load generator), and a
// cost that fades as the process ages (JIT warm-up) from one that stays.
//   npx tsx bench/batch-regime.ts [--rate 100] [--windows 6] [--window 10] [--rounds 2] [--settings a,b] [--v8-flags "--no-opt"]
// Settings (each a fresh process, interleaved in shuffled order every round):
//   off           always_off: the floor
//   1/16 5s       ratio 1/16, default delay: 50 sampled spans/s, exports on the 5-s timer
//   1/16 200ms    ratio 1/16, 200-ms delay
//   1/16 drop     ratio 1/16, spans sampled and ended but a processor that keeps nothing
//   1 5s          ratio 1: 800 spans/s, batches fill in 0.64 s
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

const self = fileURLToPath(import.meta.url);
const args = yargs(hideBin(process.argv))
  .option('rate', { type: 'number', default: 100, describe: 'traces (of 8 spans) per second' })
  .option('windows', { type: 'number', default: 6, describe: 'consecutive windows per process, from its first trace' })
  .option('window', { type: 'number', default: 10, describe: 'seconds per window' })
  .option('rounds', { type: 'number', default: 2 })
  .option('settings', { type: 'string', describe: 'comma-separated settings (default: all)' })
  .option('v8-flags', { type: 'string', describe: 'V8 flags for every child, e.g. "--no-opt" to keep all code unoptimized' })
  .option('child', { type: 'string', hidden: true })
  .option('endpoint', { type: 'string', hidden: true })
  .strict()
  .parseSync();

interface Setting {
  readonly ratio: number;
  readonly processor: 'batch' | 'drop';
  readonly delayMs: number;
}
const settings: Readonly<Record<string, Setting>> = {
  off: { ratio: 0, processor: 'batch', delayMs: 5000 },
  '1/16 5s': { ratio: 1 / 16, processor: 'batch', delayMs: 5000 },
  '1/16 200ms': { ratio: 1 / 16, processor: 'batch', delayMs: 200 },
  '1/16 drop': { ratio: 1 / 16, processor: 'drop', delayMs: 5000 },
  '1 5s': { ratio: 1, processor: 'batch', delayMs: 5000 },
};

interface WindowResult {
  readonly traces: number;
  readonly cpuUs: number;
  readonly gcPauseMs: number;
  readonly scavenges: number;
  readonly markSweeps: number;
  readonly exports: number;
}

type ChildResult = readonly WindowResult[];

/** The child being measured, ended with this process however it ends (Ctrl-C, an error, or done). */
let running: ChildProcess | undefined;
process.on('exit', () => running?.kill('SIGKILL'));
process.on('SIGINT', () => process.exit(130));

if (args.child !== undefined) {
  process.stdout.write(JSON.stringify(await child(settings[args.child], args.endpoint!)));
  process.exit(0);
} else {
  await parent();
}

async function child(setting: Setting, endpoint: string): Promise<ChildResult> {
  const { context, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
  const { BasicTracerProvider, BatchSpanProcessor, TraceIdRatioBasedSampler } = await import('@opentelemetry/sdk-trace-base');
  const { gcPausesBetween, gcPausesSoFar, totalPauseMs } = await import('../src/measure/gc.ts');
  let exports = 0;
  const exporter = new OTLPTraceExporter({ url: endpoint });
  const counted = {
    export: (spans: Parameters<typeof exporter.export>[0], done: Parameters<typeof exporter.export>[1]) => {
      exports++;
      exporter.export(spans, done);
    },
    shutdown: () => exporter.shutdown(),
  };
  const keepNothing = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
  const provider = new BasicTracerProvider({
    sampler: new TraceIdRatioBasedSampler(setting.ratio),
    spanProcessors: [setting.processor === 'drop' ? keepNothing : new BatchSpanProcessor(counted, { scheduledDelayMillis: setting.delayMs })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  const tracer = trace.getTracer('batch-regime');

  // One trace as the built-in service makes one: a root and 7 children, a few attributes each.
  const oneTrace = () => {
    const root = tracer.startSpan('GET /hello', { attributes: { 'http.request.method': 'GET', 'url.path': '/hello' } });
    const ctx = trace.setSpan(context.active(), root);
    for (let i = 0; i < 7; i++) {
      const span = tracer.startSpan(`hop ${i}`, { attributes: { 'peer.service': `svc${i}`, 'work.iterations': i } }, ctx);
      span.addEvent('work.done');
      span.end();
    }
    root.end();
  };
  const ratePerSec = args.rate;
  let traces = 0;
  const start = performance.now();
  // Paced like an open-loop client: every 10 ms, the traces now due.
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / 1000) * ratePerSec);
    for (; traces < due; traces++) oneTrace();
  }, 10);
  const windows: WindowResult[] = [];
  for (let w = 0; w < args.windows; w++) {
    const [traces0, cpu0, gc0, exports0] = [traces, process.cpuUsage(), gcPausesSoFar(), exports];
    await new Promise((resolve) => setTimeout(resolve, args.window * 1000));
    const cpu = process.cpuUsage(cpu0);
    const gc = gcPausesBetween(gc0, gcPausesSoFar());
    windows.push({
      traces: traces - traces0,
      cpuUs: cpu.user + cpu.system,
      gcPauseMs: totalPauseMs(gc),
      scavenges: gc.minor.count,
      markSweeps: gc.major.count,
      exports: exports - exports0,
    });
  }
  clearInterval(timer);
  await provider.shutdown();
  return windows;
}

async function parent(): Promise<void> {
  const { EmbeddedCollector } = await import('../src/collector/index.ts');
  const { median } = await import('../src/compare/summary.ts');
  const { pinHarnessAndService } = await import('../src/run/pinning.ts');
  const pinning = pinHarnessAndService();
  const collector = await EmbeddedCollector.start();
  const names = args.settings ? args.settings.split(',').map((n) => n.trim()) : Object.keys(settings);
  for (const name of names) if (!(name in settings)) throw new Error(`no setting '${name}': use ${Object.keys(settings).join(', ')}`);
  const { newSeed, roundOrderStream } = await import('../src/run/order.ts');
  const nextOrder = roundOrderStream(names.length, newSeed());
  const results = new Map<string, ChildResult[]>(names.map((name) => [name, []]));
  for (let round = 1; round <= args.rounds; round++) {
    const order = nextOrder().map((i) => names[i]);
    for (const name of order) {
      const v8 = args.v8Flags ? args.v8Flags.split(/\s+/) : [];
      const argv = [...v8, '--import', 'tsx', self, '--child', name, '--endpoint', collector.endpoint, '--rate', String(args.rate), '--windows', String(args.windows), '--window', String(args.window)];
      const [file, full] = pinning.serviceCpus ? ['taskset', ['-c', pinning.serviceCpus, process.execPath, ...argv]] : [process.execPath, argv];
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(file, full, { stdio: ['ignore', 'pipe', 'inherit'] });
        running = child;
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk));
        child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${name} exited with ${code}`))));
      });
      const windows = JSON.parse(out) as ChildResult;
      results.get(name)!.push(windows);
      console.error(`round ${round} ${name}: CPU µs/trace by window ${windows.map((w) => (w.cpuUs / w.traces).toFixed(0)).join(', ')}; exports ${windows.map((w) => w.exports).join(', ')}`);
    }
  }
  const flags = args.v8Flags ? `, V8 flags ${args.v8Flags}` : '';
  console.log(`\nSDK + BatchSpanProcessor + OTLP/gRPC alone, ${args.rate} traces/s of 8 spans, a fresh process per setting and round (${args.rounds} rounds)${flags}: CPU µs per trace in consecutive ${args.window}-s windows from the first trace, median over rounds\n`);
  const spans = Array.from({ length: args.windows }, (_, w) => `${w * args.window}–${(w + 1) * args.window} s`);
  console.log(`| setting | ${spans.join(' | ')} | GC pause µs/trace, last window | scavenges/s, last window | exports, last window |`);
  console.log(`|---|${spans.map(() => '---|').join('')}---|---|---|`);
  for (const [name, rounds] of results) {
    const cells = spans.map((_, w) => median(rounds.map((r) => r[w].cpuUs / r[w].traces)).toFixed(1));
    const last = rounds.map((r) => r[args.windows - 1]);
    console.log(
      `| ${name} | ${cells.join(' | ')} | ${median(last.map((w) => (w.gcPauseMs * 1000) / w.traces)).toFixed(1)} | ${median(last.map((w) => w.scavenges / args.window)).toFixed(2)} | ${median(last.map((w) => w.exports))} |`,
    );
  }
  await collector.stop();
}
