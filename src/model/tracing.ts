// Plain, typed tracing settings: what src/tracing/env.ts reads from OTEL_* variables and
// src/tracing/provider.ts builds a tracer provider from.

export interface JaegerRemoteConfig {
  /** The sampling endpoint, e.g. http://localhost:5778/sampling (a trailing /sampling is optional). */
  readonly endpoint: string;
  readonly pollingIntervalMs: number;
  readonly initialSamplingRate: number;
}

type PlainSampler<N extends string> = { readonly name: N };
/** ratio: the sampling probability in [0, 1]. */
type RatioSampler<N extends string> = { readonly name: N; readonly ratio: number };

/**
 * One member per sampler, each with only its own settings; src/tracing/samplers/registry.ts has one
 * entry per member (how its argument is read, how it is built and described).
 */
export type SamplerConfig =
  | PlainSampler<'always_on'>
  | PlainSampler<'always_off'>
  | RatioSampler<'traceidratio'>
  | PlainSampler<'parentbased_always_on'>
  | PlainSampler<'parentbased_always_off'>
  | RatioSampler<'parentbased_traceidratio'>
  /** Jaeger's remote sampler (@opentelemetry/sampler-jaeger-remote): where and how often to poll, and the ratio until a strategy arrives. */
  | { readonly name: 'jaeger_remote'; readonly jaegerRemote: JaegerRemoteConfig }
  /** Not standard: Jaeger's rate-limiting sampler, at most this many new traces per second. */
  | { readonly name: 'tracetax_ratelimiting'; readonly tracesPerSecond: number };

export type SamplerName = SamplerConfig['name'];

export interface BatchProcessorConfig {
  readonly kind: 'batch';
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
}

export type ProcessorConfig = BatchProcessorConfig | { readonly kind: 'simple' };

/** OTEL_EXPORTER_OTLP_PROTOCOL's values: OTLP over gRPC, or over HTTP in binary protobuf or JSON. */
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

export type ExporterConfig =
  /** endpoint: for grpc the server's address (http://host:4317); for http/* the full URL (http://host:4318/v1/traces). */
  | { readonly kind: 'otlp'; readonly protocol: OtlpProtocol; readonly endpoint: string }
  | { readonly kind: 'none' };

/** `untraced` has no SDK at all (only the API's no-op): the baseline of every comparison. */
export type TracingConfig =
  | { readonly kind: 'untraced' }
  | {
      readonly kind: 'sdk';
      readonly sampler: SamplerConfig;
      readonly processor: ProcessorConfig;
      readonly exporter: ExporterConfig;
      /**
       * A planted regression for testing the gate: iterations of a fixed loop (src/sut/builtin/work.ts)
       * burnt per ended span, the same work in every run whatever the machine's speed; 0 in real variants.
       */
      readonly plantedSpanIterations: number;
    };
