// Plain, typed tracing settings. Core code takes these; only src/tracing/env.ts reads OTEL_* variables.

export const samplerNames = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  // Jaeger's remote sampler (@opentelemetry/sampler-jaeger-remote), polling a /sampling endpoint.
  'jaeger_remote',
  // Not standard: Jaeger's rate-limiting sampler (at most N new traces per second), which the JS remote sampler lacks.
  'tracetax_ratelimiting',
] as const;
export type SamplerName = (typeof samplerNames)[number];

export interface SamplerConfig {
  readonly name: SamplerName;
  /** Sampling probability in [0, 1]; used by the *traceidratio samplers only. */
  readonly ratio: number;
  /** jaeger_remote only: where and how often to poll, and the ratio used until a strategy arrives. */
  readonly jaegerRemote?: JaegerRemoteConfig;
  /** tracetax_ratelimiting only: the most new traces per second. */
  readonly tracesPerSecond?: number;
}

export interface JaegerRemoteConfig {
  /** The sampling endpoint, e.g. http://localhost:5778/sampling (a trailing /sampling is optional). */
  readonly endpoint: string;
  readonly pollingIntervalMs: number;
  readonly initialSamplingRate: number;
}

export interface BatchProcessorConfig {
  readonly kind: 'batch';
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
}

export type ProcessorConfig = BatchProcessorConfig | { readonly kind: 'simple' };

export type ExporterConfig = { readonly kind: 'otlp-grpc'; readonly endpoint: string } | { readonly kind: 'none' };

/** `untraced` has no SDK at all (only the API's no-op): the baseline of every comparison. */
export type TracingConfig =
  | { readonly kind: 'untraced' }
  | {
      readonly kind: 'sdk';
      readonly sampler: SamplerConfig;
      readonly processor: ProcessorConfig;
      readonly exporter: ExporterConfig;
      /** A planted regression for testing the gate: CPU µs burnt per ended span; 0 in real variants. */
      readonly plantedSpanWorkUs: number;
    };

// The OpenTelemetry specification's defaults (sdk-environment-variables).
export const defaultSampler: SamplerName = 'parentbased_always_on';
export const defaultSamplerRatio = 1;
export const defaultMaxQueueSize = 2048;
export const defaultMaxExportBatchSize = 512;
export const defaultScheduledDelayMillis = 5000;
export const defaultExportTimeoutMillis = 30000;
export const defaultOtlpEndpoint = 'http://localhost:4317';
// jaeger_remote's defaults: Jaeger's sampling port, and the specification's (Java SDK's) interval and initial rate.
export const defaultJaegerSamplingEndpoint = 'http://localhost:5778/sampling';
export const defaultJaegerPollingIntervalMs = 60000;
export const defaultJaegerInitialSamplingRate = 0.001;

/** True for the samplers whose decision depends on a ratio. */
export function usesRatio(name: SamplerName): boolean {
  return name === 'traceidratio' || name === 'parentbased_traceidratio';
}

/** A short, config-bearing description, like the SDK samplers' toString(). */
export function describeTracing(config: TracingConfig): string {
  if (config.kind === 'untraced') return 'untraced (no SDK)';
  const { jaegerRemote: remote, tracesPerSecond } = config.sampler;
  const sampler = usesRatio(config.sampler.name)
    ? `${config.sampler.name}(${config.sampler.ratio})`
    : remote
      ? `jaeger_remote(${remote.endpoint}, every ${remote.pollingIntervalMs} ms, initial ${remote.initialSamplingRate})`
      : tracesPerSecond !== undefined
        ? `tracetax_ratelimiting(${tracesPerSecond}/s)`
        : config.sampler.name;
  const p = config.processor;
  const processor =
    p.kind === 'simple'
      ? 'simple'
      : `batch(queue=${p.maxQueueSize}, batch=${p.maxExportBatchSize}, delay=${p.scheduledDelayMillis}ms, timeout=${p.exportTimeoutMillis}ms)`;
  const exporter = config.exporter.kind === 'none' ? 'none' : `otlp-grpc ${config.exporter.endpoint}`;
  const planted = config.plantedSpanWorkUs > 0 ? ` · planted ${config.plantedSpanWorkUs} µs/span` : '';
  return `${sampler} · ${processor} · ${exporter}${planted}`;
}
