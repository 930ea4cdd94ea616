// Child process of the export benchmarks: creates spans through a real OTLPTraceExporter (gRPC) to the
// parent's embedded collector, either as fast as export keeps up or at a fixed rate, and reports its own
// CPU over the measured window, so the figure is this process's alone.
//   node --import tsx src/micro/export-child.ts '<ExportChildConfig JSON>'
import { setTimeout as sleep } from 'node:timers/promises';
import type { Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { AlwaysOnSampler, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { batchSpanProcessor, simpleSpanProcessor, TracerProviderClass } from '../tracing/sdk-trace.ts';
import { benchResource, emitHandlerTrace, emitSpecSpan, SPANS_PER_HANDLER_TRACE } from './fixtures.ts';

export interface ExportChildConfig {
  readonly endpoint: string;
  /** spec: one span with 10 attributes of 20 chars; handler: bench/collector-decode.ts's 4-span traces. */
  readonly shape: 'spec' | 'handler';
  readonly processor: 'batch' | 'simple';
  /** Spans per second, or null for as fast as export keeps up. */
  readonly ratePerSec: number | null;
  readonly warmupMs: number;
  readonly windowMs: number;
}

export interface ExportChildReport {
  readonly created: number;
  readonly exported: number;
  readonly exportFailed: number;
  readonly wallMs: number;
  readonly cpuUs: number;
}

/** Max-rate mode pauses above this many unacknowledged spans, so the queue never overflows. */
const MAX_PENDING_SPANS = 3 * 512;

async function main(config: ExportChildConfig): Promise<void> {
  let exported = 0;
  let failed = 0;
  const otlp = new OTLPTraceExporter({ url: config.endpoint });
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
  const processor =
    config.processor === 'simple'
      ? simpleSpanProcessor(counting)
      : config.ratePerSec === null
        ? batchSpanProcessor(counting, { maxQueueSize: 65536, maxExportBatchSize: 512, scheduledDelayMillis: 200 })
        : batchSpanProcessor(counting, { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 });
  const provider = new TracerProviderClass({ resource: benchResource, sampler: new AlwaysOnSampler(), spanProcessors: [processor] });
  const tracer = provider.getTracer('tracetax-micro');
  const perUnit = config.shape === 'spec' ? 1 : SPANS_PER_HANDLER_TRACE;
  const emit = (t: Tracer, n: number) => (config.shape === 'spec' ? emitSpecSpan(t) : emitHandlerTrace(t, n));

  let created = 0;
  const startedAt = performance.now();
  const windowStart = startedAt + config.warmupMs;
  const windowEnd = windowStart + config.windowMs;
  let inWindow = false;
  let at = { created: 0, exported: 0, failed: 0, cpu: process.cpuUsage(), wall: 0 };
  const checkWindow = (now: number): boolean => {
    if (!inWindow && now >= windowStart) {
      inWindow = true;
      at = { created, exported, failed, cpu: process.cpuUsage(), wall: now };
    }
    return now < windowEnd;
  };

  if (config.ratePerSec === null) {
    // As fast as export keeps up: bursts of 512 spans, yielding so export callbacks and timers run.
    while (checkWindow(performance.now())) {
      if (created - exported - failed > MAX_PENDING_SPANS) {
        await sleep(1);
        continue;
      }
      for (let i = 0; i < 512 / perUnit; i++) emit(tracer, created / perUnit + i);
      created += 512;
      await new Promise(setImmediate);
    }
  } else {
    // A fixed rate with no drift: every 5 ms, create the spans the schedule owes by now.
    const rate = config.ratePerSec;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (!checkWindow(now)) {
          clearInterval(timer);
          resolve();
          return;
        }
        const due = Math.floor(((now - startedAt) / 1000) * rate);
        while (created < due) {
          emit(tracer, created / perUnit);
          created += perUnit;
        }
      }, 5);
    });
  }
  const cpu = process.cpuUsage(at.cpu);
  const report: ExportChildReport = {
    created: created - at.created,
    exported: exported - at.exported,
    exportFailed: failed - at.failed,
    wallMs: performance.now() - at.wall,
    cpuUs: cpu.user + cpu.system,
  };
  await provider.forceFlush().catch(() => {});
  process.send!(report);
  await provider.shutdown().catch(() => {});
  process.disconnect();
}

await main(JSON.parse(process.argv[2]!) as ExportChildConfig);
