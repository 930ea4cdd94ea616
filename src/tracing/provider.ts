// One function turns a plain TracingConfig into a registered tracer provider with span accounting.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { batchSpanProcessor, simpleSpanProcessor, TracerProviderClass } from './sdk-trace.ts';
import { CountingSpanExporter, CountingSpanProcessor, DiscardingSpanExporter, createSpanCounters } from './counting.ts';
import { createSampler } from './samplers/registry.ts';
import type { ExporterConfig, SpanCounters, TracingConfig } from '../model/index.ts';

export interface Tracing {
  readonly counters: SpanCounters;
  /** The export wrapper, for its latency histogram; undefined when untraced. */
  readonly exporter?: CountingSpanExporter;
  /** Flushes and stops the SDK; resolves false when `timeoutMs` ran out first. */
  shutdown(timeoutMs: number): Promise<boolean>;
}

export interface TracingSetupOptions {
  readonly serviceName: string;
  /** Runs `iterations` of a fixed loop; used only by a planted regression. */
  readonly burnCpu: (iterations: number) => void;
}

/** A deliberately expensive processor: the planted regression that proves the gate catches one. */
class CpuBurningSpanProcessor implements SpanProcessor {
  constructor(
    private readonly iterations: number,
    private readonly burnCpu: (iterations: number) => void,
  ) {}
  onStart(): void {}
  onEnd(): void {
    this.burnCpu(this.iterations);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The SDK's exporter for the config's protocol, sent to its endpoint exactly (env.ts applied the URL rules). */
function createExporter(config: ExporterConfig): SpanExporter {
  if (config.kind === 'none') return new DiscardingSpanExporter();
  switch (config.protocol) {
    case 'grpc':
      return new OtlpGrpcExporter({ url: config.endpoint });
    case 'http/protobuf':
      return new OtlpHttpProtobufExporter({ url: config.endpoint });
    case 'http/json':
      return new OtlpHttpJsonExporter({ url: config.endpoint });
  }
}

/**
 * Registers the globals (context manager, propagator, tracer provider) for `config`. For `untraced` it
 * registers nothing, so the instrumentation runs against the API's no-op, as in a service without an SDK.
 */
export function setUpTracing(config: TracingConfig, options: TracingSetupOptions): Tracing {
  const counters = createSpanCounters();
  if (config.kind === 'untraced') return { counters, shutdown: async () => true };

  const exporter = new CountingSpanExporter(createExporter(config.exporter), counters);
  const processor: SpanProcessor =
    config.processor.kind === 'simple'
      ? simpleSpanProcessor(exporter)
      : batchSpanProcessor(exporter, {
          maxQueueSize: config.processor.maxQueueSize,
          maxExportBatchSize: config.processor.maxExportBatchSize,
          scheduledDelayMillis: config.processor.scheduledDelayMillis,
          exportTimeoutMillis: config.processor.exportTimeoutMillis,
        });
  const sampler = createSampler(config.sampler, options.serviceName);
  const provider = new TracerProviderClass({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler,
    spanProcessors: [
      new CountingSpanProcessor(counters),
      ...(config.plantedSpanIterations > 0 ? [new CpuBurningSpanProcessor(config.plantedSpanIterations, options.burnCpu)] : []),
      processor,
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);

  return {
    counters,
    exporter,
    shutdown(timeoutMs: number): Promise<boolean> {
      sampler.stop?.();
      return settlesWithin(provider.shutdown(), timeoutMs);
    },
  };
}

/** True when `work` settles (either way) within `timeoutMs`, false when the time ran out first. */
export async function settlesWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const done = work.then(
    () => true,
    () => true,
  );
  const finished = await Promise.race([done, timedOut]);
  clearTimeout(timer);
  return finished;
}
