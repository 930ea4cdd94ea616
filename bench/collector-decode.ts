// How much headroom the embedded collector has over the exporter it measures.
//   npx tsx bench/collector-decode.ts
// Reports (a) the OTLP decoder's rate on 512-span batches from the exporter's own serializer,
// (b) the whole gRPC receiver's rate (decode + count) fed by a raw client in this process, and
// (c) the highest span rate one Node process exports through BatchSpanProcessor + OTLPTraceExporter,
// measured in a child process so exporter and collector do not share a core.
// (a) and (c) are the micro run's own measurements (src/micro), on bench/collector-decode's 4-span traces.
import * as grpc from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { Bench } from 'tinybench';
import { EmbeddedCollector } from '../src/collector/index.ts';
import { measureExportWindow } from '../src/micro/children.ts';
import { emitHandlerTrace, recordSpans } from '../src/micro/fixtures.ts';
import { measureCollectorDecode } from '../src/micro/suites.ts';

const BATCH = 512;
const EXPORT_WARMUP_MS = 1000;
const EXPORT_WINDOW_MS = 5000;
/** The exporting child pauses above this many unacknowledged spans (src/micro/export-child.ts). */
const MAX_PENDING_SPANS = 3 * BATCH;

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

async function main(): Promise<void> {
  const payload = Buffer.from(ProtobufTraceSerializer.serializeRequest(recordSpans(BATCH, emitHandlerTrace))!);
  const decode = await measureCollectorDecode(1500, 250);

  const collector = await EmbeddedCollector.start();
  const client = new grpc.Client(collector.endpoint.replace('http://', ''), grpc.credentials.createInsecure());
  let receiverRate: number;
  let exportRun: Awaited<ReturnType<typeof measureExportWindow>>;
  try {
    // Several calls in flight so the server, not one round trip, is the limit.
    const receiverBench = new Bench({ time: 2000, concurrency: 'task', threshold: 8, iterations: 0 });
    receiverBench.add('receiver', () => sendRaw(client, payload));
    const t0 = performance.now();
    await receiverBench.run();
    const receiverResult = receiverBench.tasks[0]!.result;
    if (receiverResult.state !== 'completed') throw new Error(`receiver bench ${receiverResult.state}`);
    receiverRate = collector.snapshot().spans / ((performance.now() - t0) / 1000);

    exportRun = await measureExportWindow(collector, {
      shape: 'handler',
      processor: 'batch',
      ratePerSec: null,
      warmupMs: EXPORT_WARMUP_MS,
      windowMs: EXPORT_WINDOW_MS,
    });
  } finally {
    client.close();
    await collector.stop();
  }

  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const exportRate = exportRun.exported / exportRun.seconds;
  console.log(`payload: ${BATCH} spans, ${payload.length} bytes (${Math.round(payload.length / BATCH)} B/span)`);
  console.table([
    { measure: '(a) decode only', 'spans/s': fmt(decode.spansPerSec), note: `${((BATCH * 1000) / decode.spansPerSec).toFixed(3)} ms/batch` },
    { measure: '(b) gRPC receiver, decode+count', 'spans/s': fmt(receiverRate), note: '8 calls in flight, client in-process' },
    {
      measure: '(c) one exporting process',
      'spans/s': fmt(exportRate),
      note:
        `export failures ${exportRun.exportFailed} of ${exportRun.created} in the window, ` +
        `exporter CPU ${exportRun.cpuPercent.toFixed(0)}%, ` +
        `lag p50 ${exportRun.exportLagMs.p50.toFixed(0)} ms p99 ${exportRun.exportLagMs.p99.toFixed(0)} ms (queue ≤${MAX_PENDING_SPANS + BATCH} spans)`,
    },
  ]);
  console.log(`decode rate / export rate: ${(decode.spansPerSec / exportRate).toFixed(1)}x`);
  console.log(`receiver rate / export rate: ${(receiverRate / exportRate).toFixed(1)}x`);
}

await main();
