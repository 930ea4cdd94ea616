// How much headroom the embedded collector has over the exporter it measures.
//   npx tsx bench/collector-decode.ts
// Reports (a) the OTLP decoder's rate on 512-span batches from the exporter's own serializer,
// (b) the whole gRPC receiver's rate (decode + count) fed by a raw client in this process, and
// (c) the highest span rate one Node process exports through BatchSpanProcessor + OTLPTraceExporter,
// measured in a child process so exporter and collector do not share a core.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { Bench } from 'tinybench';
import { decodeExportTraceRequest, EmbeddedCollector, type DecodedSpan } from '../src/collector/index.ts';

const BATCH = 512;
const SPANS_PER_TRACE = 4;
const EXPORT_WARMUP_MS = 1000;
const EXPORT_WINDOW_MS = 5000;
/**
 * The producer pauses above this many unacknowledged spans: the exporter always has a full batch
 * waiting, the 65536-span queue never overflows, and the queueing part of the lag stays small.
 */
const MAX_PENDING_SPANS = 3 * BATCH;

const resource = resourceFromAttributes({ 'service.name': 'collector-bench' });

/** One trace of SPANS_PER_TRACE spans, each with 10 attributes and 2 events, like an HTTP handler's. */
function emitTrace(tracer: Tracer, n: number): void {
  const attributes = {
    'http.request.method': 'GET',
    'url.path': `/api/items/${n % 1000}`,
    'http.response.status_code': 200,
    'server.address': 'localhost',
    'server.port': 3000,
    'user_agent.original': 'autocannon/9.0.0',
    'app.item_id': n % 1000,
    'app.cache_hit': n % 3 === 0,
    'app.ratio': 0.5,
    'network.peer.address': '127.0.0.1',
  };
  const root = tracer.startSpan('GET /api/items/:id', { kind: SpanKind.SERVER, attributes });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  for (let i = 1; i < SPANS_PER_TRACE; i++) {
    const child = tracer.startSpan(`step ${i}`, { attributes }, ctx);
    child.addEvent('cache.lookup', { 'cache.key': `item:${n % 1000}` });
    child.addEvent('db.query', { 'db.rows': 3 });
    child.end();
  }
  root.addEvent('request.received', { 'http.request.body.size': 0 });
  root.addEvent('response.sent', { 'http.response.body.size': 512 });
  root.end();
}

function recordBatch(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('bench');
  for (let n = 0; n < BATCH / SPANS_PER_TRACE; n++) emitTrace(tracer, n);
  return memory.getFinishedSpans();
}

function sendRaw(client: grpc.Client, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (b: Buffer) => b,
      (b: Buffer) => b,
      payload,
      (err) => (err ? reject(err) : resolve()),
    );
  });
}

interface ExportResultMessage {
  created: number;
  exported: number;
  failed: number;
  /** CPU time over wall time of the producing loop: near 100 means one core is the limit. */
  cpuPercent: number;
}

/** Child side of (c): create spans as fast as export keeps up, until the parent says stop. */
async function runExporter(endpoint: string): Promise<void> {
  let exported = 0;
  let failed = 0;
  const otlp = new OTLPTraceExporter({ url: endpoint });
  // Counts acknowledged spans so the producer can hold back instead of overflowing the queue.
  const counting: SpanExporter = {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      otlp.export(spans, (result) => {
        if (result.code === ExportResultCode.SUCCESS) exported += spans.length;
        else failed += spans.length;
        done(result);
      });
    },
    shutdown: () => otlp.shutdown(),
    forceFlush: () => otlp.forceFlush(),
  };
  const provider = new BasicTracerProvider({
    resource,
    sampler: new AlwaysOnSampler(),
    spanProcessors: [
      new BatchSpanProcessor(counting, { maxQueueSize: 65536, maxExportBatchSize: BATCH, scheduledDelayMillis: 200 }),
    ],
  });
  const tracer = provider.getTracer('bench');
  let stopping = false;
  process.on('message', () => (stopping = true));
  process.send!('ready');
  let created = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  while (!stopping) {
    if (created - exported - failed > MAX_PENDING_SPANS) {
      await sleep(1);
      continue;
    }
    for (let i = 0; i < BATCH / SPANS_PER_TRACE; i++) emitTrace(tracer, created / SPANS_PER_TRACE + i);
    created += BATCH;
    // Let export callbacks and timers run between bursts.
    await new Promise(setImmediate);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuPercent = (cpu.user + cpu.system) / 10 / (performance.now() - wall0);
  await provider.forceFlush();
  const result: ExportResultMessage = { created, exported, failed, cpuPercent };
  process.send!(result);
  await provider.shutdown();
  process.disconnect();
}

interface ExportRun {
  spansPerSec: number;
  created: number;
  received: number;
  failed: number;
  cpuPercent: number;
  lagP50Ms: number;
  lagP99Ms: number;
}

/** Parent side of (c). */
async function measureExport(collector: EmbeddedCollector): Promise<ExportRun> {
  collector.reset();
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, 'exporter', collector.endpoint], {
    cwd: resolve(dirname(self), '..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const exitedEarly = exited.then(([code]) => {
    throw new Error(`exporter child exited with ${code} before reporting`);
  });
  exitedEarly.catch(() => {}); // its normal exit, after the report, is not an error
  const nextMessage = (): Promise<unknown> =>
    Promise.race([once(child, 'message').then(([message]) => message), exitedEarly]);
  try {
    if ((await nextMessage()) !== 'ready') throw new Error('exporter child did not report ready');
    await sleep(EXPORT_WARMUP_MS);
    const before = collector.snapshot().spans;
    const t0 = performance.now();
    await sleep(EXPORT_WINDOW_MS);
    const windowSpans = collector.snapshot().spans - before;
    const seconds = (performance.now() - t0) / 1000;
    child.send('stop');
    const result = (await nextMessage()) as ExportResultMessage;
    await exited;
    const end = collector.snapshot();
    return {
      spansPerSec: windowSpans / seconds,
      created: result.created,
      received: end.spans,
      failed: result.failed,
      cpuPercent: result.cpuPercent,
      lagP50Ms: end.exportLagMs.p50,
      lagP99Ms: end.exportLagMs.p99,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

async function main(): Promise<void> {
  const spans = recordBatch();
  const payload = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  let visited = 0;
  const visit = (span: DecodedSpan): void => {
    if (span.endTimeMs > 0) visited++;
  };

  const decodeBench = new Bench({ time: 1500 });
  decodeBench.add('decode', () => decodeExportTraceRequest(payload, visit));
  await decodeBench.run();
  const decodeResult = decodeBench.tasks[0]!.result;
  if (decodeResult.state !== 'completed') throw new Error(`decode bench ${decodeResult.state}`);
  if (visited === 0 || visited % BATCH !== 0) throw new Error(`decoder visited ${visited} spans`);
  const decodeRate = (BATCH * 1000) / decodeResult.period;

  const collector = await EmbeddedCollector.start();
  const client = new grpc.Client(collector.endpoint.replace('http://', ''), grpc.credentials.createInsecure());
  let receiverRate: number;
  let exportRun: ExportRun;
  try {
    // Several calls in flight so the server, not one round trip, is the limit.
    const receiverBench = new Bench({ time: 2000, concurrency: 'task', threshold: 8, iterations: 0 });
    receiverBench.add('receiver', () => sendRaw(client, payload));
    const t0 = performance.now();
    await receiverBench.run();
    const receiverResult = receiverBench.tasks[0]!.result;
    if (receiverResult.state !== 'completed') throw new Error(`receiver bench ${receiverResult.state}`);
    receiverRate = collector.snapshot().spans / ((performance.now() - t0) / 1000);

    exportRun = await measureExport(collector);
  } finally {
    client.close();
    await collector.stop();
  }

  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const drops = exportRun.created - exportRun.received;
  console.log(`payload: ${BATCH} spans, ${payload.length} bytes (${Math.round(payload.length / BATCH)} B/span)`);
  console.table([
    { measure: '(a) decode only', 'spans/s': fmt(decodeRate), note: `${decodeResult.period.toFixed(3)} ms/batch` },
    { measure: '(b) gRPC receiver, decode+count', 'spans/s': fmt(receiverRate), note: '8 calls in flight, client in-process' },
    {
      measure: '(c) one exporting process',
      'spans/s': fmt(exportRun.spansPerSec),
      note:
        `drops ${drops} of ${exportRun.created} (export failures ${exportRun.failed}), ` +
        `exporter CPU ${exportRun.cpuPercent.toFixed(0)}%, ` +
        `lag p50 ${exportRun.lagP50Ms.toFixed(0)} ms p99 ${exportRun.lagP99Ms.toFixed(0)} ms (queue ≤${MAX_PENDING_SPANS + BATCH} spans)`,
    },
  ]);
  console.log(`decode rate / export rate: ${(decodeRate / exportRun.spansPerSec).toFixed(1)}x`);
  console.log(`receiver rate / export rate: ${(receiverRate / exportRun.spansPerSec).toFixed(1)}x`);
}

if (process.argv[2] === 'exporter') await runExporter(process.argv[3]!);
else await main();
