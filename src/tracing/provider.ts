// One function turns a plain TracingConfig into a registered tracer provider with span accounting.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SamplerConfig, TracingConfig } from './config.ts';
import { createJaegerRemoteSampler } from './jaeger-remote.ts';
import { RateLimitingSampler } from './rate-limiting-sampler.ts';
import { CountingSpanExporter, CountingSpanProcessor, DiscardingSpanExporter, createSpanCounters, type SpanCounters } from './counting.ts';

/** `stop` ends any background work of the sampler (jaeger_remote's polling). */
export function createSampler(config: SamplerConfig, serviceName = 'unknown_service'): Sampler & { stop?: () => void } {
  switch (config.name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(config.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.ratio) });
    case 'jaeger_remote': {
      // The sampler asks for the strategy of the service's own service.name.
      const remote = createJaegerRemoteSampler(config.jaegerRemote!, serviceName);
      return Object.assign(remote.sampler, { stop: remote.stop });
    }
    case 'tracetax_ratelimiting':
      return new ParentBasedSampler({ root: new RateLimitingSampler(config.tracesPerSecond!) });
  }
}

export interface Tracing {
  readonly counters: SpanCounters;
  /** The export wrapper, for its latency histogram; undefined when untraced. */
  readonly exporter?: CountingSpanExporter;
  /** Flushes and stops the SDK; resolves false when `timeoutMs` ran out first. */
  shutdown(timeoutMs: number): Promise<boolean>;
}

export interface TracingSetupOptions {
  readonly serviceName: string;
  /** Burns `us` microseconds of CPU; used only by a planted regression. */
  readonly burnCpu: (us: number) => void;
}

/** A deliberately expensive processor: the planted regression that proves the gate catches one. */
class CpuBurningSpanProcessor implements SpanProcessor {
  constructor(
    private readonly us: number,
    private readonly burnCpu: (us: number) => void,
  ) {}
  onStart(): void {}
  onEnd(): void {
    this.burnCpu(this.us);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Registers the globals (context manager, propagator, tracer provider) for `config`. For `untraced` it
 * registers nothing, so the instrumentation runs against the API's no-op, as in a service without an SDK.
 */
export function setUpTracing(config: TracingConfig, options: TracingSetupOptions): Tracing {
  const counters = createSpanCounters();
  if (config.kind === 'untraced') return { counters, shutdown: async () => true };

  const inner: SpanExporter =
    config.exporter.kind === 'none' ? new DiscardingSpanExporter() : new OTLPTraceExporter({ url: config.exporter.endpoint });
  const exporter = new CountingSpanExporter(inner, counters);
  const processor: SpanProcessor =
    config.processor.kind === 'simple'
      ? new SimpleSpanProcessor(exporter)
      : new BatchSpanProcessor(exporter, {
          maxQueueSize: config.processor.maxQueueSize,
          maxExportBatchSize: config.processor.maxExportBatchSize,
          scheduledDelayMillis: config.processor.scheduledDelayMillis,
          exportTimeoutMillis: config.processor.exportTimeoutMillis,
        });
  const sampler = createSampler(config.sampler, options.serviceName);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler,
    spanProcessors: [
      new CountingSpanProcessor(counters),
      ...(config.plantedSpanWorkUs > 0 ? [new CpuBurningSpanProcessor(config.plantedSpanWorkUs, options.burnCpu)] : []),
      processor,
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);

  return {
    counters,
    exporter,
    async shutdown(timeoutMs: number): Promise<boolean> {
      sampler.stop?.();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const done = provider.shutdown().then(
        () => true,
        () => true,
      );
      const finished = await Promise.race([done, timedOut]);
      clearTimeout(timer);
      return finished;
    },
  };
}
