// The highest span rate one Node process exports before drops or export failures begin: to a real
// Jaeger v2 and to the embedded collector, with the SDK's default BatchSpanProcessor (queue 2048,
// batches of 512, 5 s delay) and the real OTLP/gRPC exporter, as the service's variants use them.
//   flock /tmp/tracetax-cpu.lock taskset -c 1 node --import tsx bench/export-ceiling.ts [jaeger|embedded]...
// (OTEL_BSP_MAX_QUEUE_SIZE=65536 before it: the same with a queue that rides out export stalls.)
// A child process pinned to CPU 0 makes 8-span traces shaped like the service's (SERVER, INTERNAL with
// two events, three CLIENT → SERVER calls) at a fixed open-loop rate for 5 s and then flushes; its own
// counters say how many spans were dropped (queue full) or failed. The backend (Jaeger as a child, or
// the embedded collector in this process) runs on CPU 1. The rate rises by 1.5× until drops, failures,
// or a generator that can no longer keep the rate, then two bisection steps narrow the edge.
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { EmbeddedCollector } from '../src/collector/index.ts';
import { findJaegerBinary, startLocalJaeger } from '../test/support/local-jaeger.ts';
import { percentiles } from '../src/measure/histogram.ts';
import { killAllChildren, spawnTsChild } from '../src/sut/children.ts';
import { tracingConfigFromEnv } from '../src/tracing/env.ts';
import { setUpTracing } from '../src/tracing/provider.ts';

const SPANS_PER_TRACE = 8;
const WINDOW_MS = 5000;
const TICK_MS = 5;

interface StepResult {
  target: number;
  /** Spans created per second over the window. */
  achieved: number;
  ended: number;
  dropped: number;
  exported: number;
  failed: number;
  batches: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  cpuPercent: number;
  flushed: boolean;
}

function emitTrace(tracer: Tracer, n: number): void {
  const server = (name: string, parent = ROOT_CONTEXT) =>
    tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': `/hello?n=${n % 1000}` } }, parent);
  const root = server('frontend GET /hello');
  const rootCtx = trace.setSpan(ROOT_CONTEXT, root);
  const work = tracer.startSpan('simulateWork', { attributes: { 'work.cpu_us': 200, 'work.iterations': 1000 } }, rootCtx);
  work.addEvent('work.start');
  work.addEvent('work.end', { 'work.result': n % 7 });
  work.end();
  for (const [route, hop] of [['GET /users/:id', 'users GET /users/'], ['GET /query', 'db GET /query'], ['GET /check', 'auth GET /check']] as const) {
    const client = tracer.startSpan(route, { kind: SpanKind.CLIENT, attributes: { 'server.address': '127.0.0.1', 'server.port': 40000 } }, rootCtx);
    server(hop, trace.setSpan(ROOT_CONTEXT, client)).end();
    client.end();
  }
  root.setAttribute('http.response.status_code', 200);
  root.end();
}

/** Child: spans at `rate` per second for WINDOW_MS, then a flush; reports its counters. */
async function generate(endpoint: string, rate: number): Promise<void> {
  // OTEL_BSP_* from the environment (e.g. a larger queue) override the SDK's defaults.
  const bsp = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('OTEL_BSP_')));
  const config = tracingConfigFromEnv({ ...bsp, OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
  const tracing = setUpTracing(config, { serviceName: 'tracetax-export-ceiling', burnCpu: () => {} });
  const tracer = trace.getTracer('export-ceiling');
  let traces = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (;;) {
    const elapsed = performance.now() - t0;
    if (elapsed >= WINDOW_MS) break;
    const due = Math.floor((elapsed / 1000) * (rate / SPANS_PER_TRACE));
    while (traces < due) emitTrace(tracer, traces++);
    await sleep(TICK_MS);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const flushed = await tracing.shutdown(30_000);
  const c = tracing.counters;
  const latency = percentiles(tracing.exporter!.exportLatencyUs, 1000);
  const result: StepResult = {
    target: rate,
    achieved: (traces * SPANS_PER_TRACE) / (wallMs / 1000),
    ended: c.ended,
    dropped: c.ended - c.handedToExporter,
    exported: c.exported,
    failed: c.exportFailed,
    batches: c.exportBatches + c.exportFailedBatches,
    latencyP50Ms: latency.p50,
    latencyP99Ms: latency.p99,
    cpuPercent: (cpu.user + cpu.system) / 10 / wallMs,
    flushed,
  };
  process.send!(result, () => process.disconnect());
}

async function step(endpoint: string, rate: number): Promise<StepResult> {
  const self = fileURLToPath(import.meta.url);
  const child = spawnTsChild(self, ['generate', endpoint, String(rate)], { cpus: '0', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env });
  try {
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => Promise.reject(new Error(`generator exited with ${code} before reporting`))),
    ])) as [StepResult];
    return message;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

const clean = (r: StepResult) => r.dropped === 0 && r.failed === 0 && r.flushed && r.exported === r.ended;
const keptRate = (r: StepResult) => r.achieved >= 0.95 * r.target;

async function sweep(name: string, endpoint: string): Promise<void> {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const print = (r: StepResult) =>
    console.log(
      `${name.padEnd(8)} target ${fmt(r.target).padStart(7)}/s  made ${fmt(r.achieved).padStart(7)}/s  exported ${fmt(r.exported).padStart(8)}  ` +
        `dropped ${fmt(r.dropped).padStart(7)}  failed ${fmt(r.failed).padStart(6)}  batches ${fmt(r.batches).padStart(5)}  ` +
        `export p50/p99 ${r.latencyP50Ms.toFixed(1)}/${r.latencyP99Ms.toFixed(1)} ms  generator CPU ${r.cpuPercent.toFixed(0)}%`,
    );
  let good: StepResult | undefined;
  let bad: StepResult | undefined;
  for (let rate = 4000; !bad; rate = Math.round(rate * 1.5)) {
    const r = await step(endpoint, rate);
    print(r);
    if (clean(r) && keptRate(r)) good = r;
    else bad = r;
  }
  for (let i = 0; i < 2 && good; i++) {
    const rate = Math.round((good.target + bad.target) / 2);
    const r = await step(endpoint, rate);
    print(r);
    if (clean(r) && keptRate(r)) good = r;
    else bad = r;
  }
  const why = !keptRate(bad) ? 'the generator could not keep the rate (CPU-bound)' : `${fmt(bad.dropped)} dropped, ${fmt(bad.failed)} failed`;
  console.log(
    `${name}: highest clean rate ${good ? `${fmt(good.achieved)} spans/s (target ${fmt(good.target)})` : 'none'}; ` +
      `at ${fmt(bad.target)}/s: ${why}\n`,
  );
}

async function main(): Promise<void> {
  const which = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['jaeger', 'embedded'];
  for (const backend of which) {
    if (backend === 'embedded') {
      const collector = await EmbeddedCollector.start({ port: 0 });
      try {
        await sweep('embedded', collector.endpoint);
      } finally {
        await collector.stop();
      }
    } else if (backend === 'jaeger') {
      const binary = findJaegerBinary();
      if (!binary) throw new Error("no Jaeger binary: build one with 'bash scripts/jaeger.sh --install'");
      const jaeger = await startLocalJaeger({ binary });
      try {
        await sweep('jaeger', jaeger.otlpEndpoint);
      } finally {
        await jaeger.stop();
      }
    } else throw new Error(`unknown backend '${backend}': use jaeger or embedded`);
  }
}

if (process.argv[2] === 'generate') await generate(process.argv[3]!, Number(process.argv[4]));
else {
  // The generator and a Jaeger end with this process, also on Ctrl-C.
  process.on('exit', killAllChildren);
  process.on('SIGINT', () => process.exit(130));
  await main();
}
