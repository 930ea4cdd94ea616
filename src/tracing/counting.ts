// Span accounting inside the traced process, through the SDK's public interfaces only: a span processor
// placed before the real one, and a wrapper around the exporter.
import { TraceFlags, type Context } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createHistogram, recordUs, type Histogram } from '../measure/histogram.ts';
import type { SpanCounters } from '../model/index.ts';

export function createSpanCounters(): SpanCounters {
  return {
    started: 0,
    sampled: 0,
    sampledRoots: 0,
    ended: 0,
    handedToExporter: 0,
    exported: 0,
    exportFailed: 0,
    exportBatches: 0,
    exportFailedBatches: 0,
  };
}

function isSampled(span: ReadableSpan): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}

/** Counts sampled spans as they start and end; it exports nothing. */
export class CountingSpanProcessor implements SpanProcessor {
  constructor(private readonly counters: SpanCounters) {}

  onStart(span: Span, _parentContext: Context): void {
    if (!isSampled(span)) return;
    this.counters.sampled++;
    if (span.parentSpanContext === undefined) this.counters.sampledRoots++;
  }

  onEnd(span: ReadableSpan): void {
    if (isSampled(span)) this.counters.ended++;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Wraps an exporter to count batches and spans by outcome, and to time each export. */
export class CountingSpanExporter implements SpanExporter {
  /** Time from export() to its result, µs. */
  readonly exportLatencyUs: Histogram = createHistogram();
  /** Called with each batch the exporter reported exported (e.g. to sample its trace ids); none by default. */
  onExported?: (spans: readonly ReadableSpan[]) => void;
  /** Spans handed over and the time they had waited since they ended: how long the processor held them. */
  readonly queueWait = { spans: 0, totalMs: 0 };

  constructor(
    private readonly inner: SpanExporter,
    private readonly counters: SpanCounters,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const counters = this.counters;
    const startedAt = performance.now();
    counters.handedToExporter += spans.length;
    // The SDK dates a span's end on the wall clock it anchored at the span's start: Date.now() is that clock.
    const now = Date.now();
    for (const span of spans) this.queueWait.totalMs += now - hrTimeToMilliseconds(span.endTime);
    this.queueWait.spans += spans.length;
    this.inner.export(spans, (result) => {
      recordUs(this.exportLatencyUs, (performance.now() - startedAt) * 1000);
      if (result.code === ExportResultCode.SUCCESS) {
        counters.exported += spans.length;
        counters.exportBatches++;
        this.onExported?.(spans);
      } else {
        counters.exportFailed += spans.length;
        counters.exportFailedBatches++;
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Accepts every span and sends it nowhere: OTEL_TRACES_EXPORTER=none, the SDK's cost without the network. */
export class DiscardingSpanExporter implements SpanExporter {
  export(_spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
