// Plain, typed tracing settings. Core code takes these; only src/tracing/env.ts reads OTEL_* variables.

export const samplerNames = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof samplerNames)[number];

export interface SamplerConfig {
  readonly name: SamplerName;
  /** Sampling probability in [0, 1]; used by the *traceidratio samplers only. */
  readonly ratio: number;
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

/** True for the samplers whose decision depends on a ratio. */
export function usesRatio(name: SamplerName): boolean {
  return name === 'traceidratio' || name === 'parentbased_traceidratio';
}

/** A short, config-bearing description, like the SDK samplers' toString(). */
export function describeTracing(config: TracingConfig): string {
  if (config.kind === 'untraced') return 'untraced (no SDK)';
  const sampler = usesRatio(config.sampler.name) ? `${config.sampler.name}(${config.sampler.ratio})` : config.sampler.name;
  const p = config.processor;
  const processor =
    p.kind === 'simple'
      ? 'simple'
      : `batch(queue=${p.maxQueueSize}, batch=${p.maxExportBatchSize}, delay=${p.scheduledDelayMillis}ms, timeout=${p.exportTimeoutMillis}ms)`;
  const exporter = config.exporter.kind === 'none' ? 'none' : `otlp-grpc ${config.exporter.endpoint}`;
  const planted = config.plantedSpanWorkUs > 0 ? ` · planted ${config.plantedSpanWorkUs} µs/span` : '';
  return `${sampler} · ${processor} · ${exporter}${planted}`;
}
