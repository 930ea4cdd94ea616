// The thin outer layer: the standard OTEL_* variables → TracingConfig. A variant reads exactly like the
// settings a user puts on a real service, and the service process gets them as its environment.
import { parseHttpUrl } from '../common/input.ts';
import {
  defaultExportTimeoutMillis,
  defaultMaxExportBatchSize,
  defaultMaxQueueSize,
  defaultOtlpEndpoint,
  defaultOtlpHttpEndpoint,
  defaultOtlpProtocol,
  defaultSampler,
  defaultScheduledDelayMillis,
  TracingConfigError,
} from './defaults.ts';
import { samplerFromArg, samplerName } from './samplers/registry.ts';
import type { ExporterConfig, OtlpProtocol, ProcessorConfig, TracingConfig } from '../model/index.ts';

/** The variables that shape a variant. Only these are taken from a scenario or the user's environment. */
export const tracingEnvKeys = [
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_EXPORT_TIMEOUT',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  // Not standard: the SDK has no variable for the processor kind.
  'TRACETAX_SPAN_PROCESSOR',
  // Not standard: a planted regression (loop iterations per ended span, a fixed amount of work) to prove the regression gate works.
  'TRACETAX_PLANTED_SPAN_ITERATIONS',
  // Not standard, read by the harness only: the strategies file (Jaeger's format) the embedded sampling
  // server answers this jaeger_remote variant from, when its OTEL_TRACES_SAMPLER_ARG names no endpoint.
  'TRACETAX_SAMPLING_STRATEGIES',
] as const;
export type TracingEnvKey = (typeof tracingEnvKeys)[number];
export type TracingEnv = Partial<Record<string, string>>;

function positiveInteger(env: TracingEnv, key: TracingEnvKey, fallback: number): number {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new TracingConfigError(`${key}=${raw} is not a positive whole number: set it to e.g. ${fallback}`);
  }
  return value;
}

function nonNegativeNumber(env: TracingEnv, key: TracingEnvKey): number {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new TracingConfigError(`${key}=${raw} is not a non-negative number: use e.g. 15`);
  return value;
}

const otlpProtocols: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];

/** The traces exporter's protocol: the traces variable, else the general one, else tracetax's default (grpc). */
export function otlpProtocol(env: TracingEnv): OtlpProtocol {
  const key = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const raw = env[key]?.trim() || defaultOtlpProtocol;
  if (!(otlpProtocols as readonly string[]).includes(raw)) {
    throw new TracingConfigError(`${key}=${raw} is not an OTLP protocol: use grpc, http/protobuf or http/json`);
  }
  return raw as OtlpProtocol;
}

/**
 * The specification's endpoint rule: the traces variable is the URL as it is; for OTLP/HTTP the general
 * one is a base URL that gets /v1/traces appended (gRPC has no path).
 */
function otlpExporter(env: TracingEnv): ExporterConfig {
  const protocol = otlpProtocol(env);
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return { kind: 'otlp', protocol, endpoint: parseOtlpEndpoint(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') };
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || (protocol === 'grpc' ? defaultOtlpEndpoint : defaultOtlpHttpEndpoint);
  const base = parseOtlpEndpoint(general, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return { kind: 'otlp', protocol, endpoint: protocol === 'grpc' ? base : `${base.replace(/\/+$/, '')}/v1/traces` };
}

/** Checks an OTLP endpoint: an http(s) URL with a host, e.g. http://localhost:4317. */
export function parseOtlpEndpoint(raw: string, what: string): string {
  const url = parseHttpUrl(raw);
  if (url === 'not-a-url') throw new TracingConfigError(`${what} '${raw}' is not a URL: use e.g. http://localhost:4317`);
  if (url === 'not-http') throw new TracingConfigError(`${what} '${raw}' is not an http(s) URL with a host: use e.g. http://localhost:4317`);
  return raw;
}

function processor(env: TracingEnv): ProcessorConfig {
  const kind = env.TRACETAX_SPAN_PROCESSOR?.trim() || 'batch';
  if (kind === 'simple') return { kind: 'simple' };
  if (kind !== 'batch') {
    throw new TracingConfigError(`TRACETAX_SPAN_PROCESSOR=${kind} is not a span processor: use batch or simple`);
  }
  const maxQueueSize = positiveInteger(env, 'OTEL_BSP_MAX_QUEUE_SIZE', defaultMaxQueueSize);
  const maxExportBatchSize = positiveInteger(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', defaultMaxExportBatchSize);
  if (maxExportBatchSize > maxQueueSize) {
    // The SDK would silently clamp it; a benchmark should measure what the user asked for.
    throw new TracingConfigError(
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE=${maxExportBatchSize} exceeds OTEL_BSP_MAX_QUEUE_SIZE=${maxQueueSize}: make the batch at most the queue size`,
    );
  }
  return {
    kind: 'batch',
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: positiveInteger(env, 'OTEL_BSP_SCHEDULE_DELAY', defaultScheduledDelayMillis),
    exportTimeoutMillis: positiveInteger(env, 'OTEL_BSP_EXPORT_TIMEOUT', defaultExportTimeoutMillis),
  };
}

/** Maps the standard OTEL_* variables to a TracingConfig, with the specification's defaults. */
export function tracingConfigFromEnv(env: TracingEnv): TracingConfig {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return { kind: 'untraced' };
  const samplerKind = samplerName(env.OTEL_TRACES_SAMPLER?.trim() || defaultSampler);
  const exporterName = env.OTEL_TRACES_EXPORTER?.trim() || 'otlp';
  if (exporterName !== 'otlp' && exporterName !== 'none') {
    throw new TracingConfigError(`OTEL_TRACES_EXPORTER=${exporterName} is not supported: use otlp or none`);
  }

  return {
    kind: 'sdk',
    sampler: samplerFromArg(samplerKind, env.OTEL_TRACES_SAMPLER_ARG),
    processor: processor(env),
    exporter: exporterName === 'none' ? { kind: 'none' } : otlpExporter(env),
    plantedSpanIterations: nonNegativeNumber(env, 'TRACETAX_PLANTED_SPAN_ITERATIONS'),
  };
}

/** Only the tracing variables of an environment (so a user's shell settings reach `serve`, nothing else). */
export function pickTracingEnv(env: TracingEnv): TracingEnv {
  const picked: TracingEnv = {};
  for (const key of tracingEnvKeys) if (env[key] !== undefined) picked[key] = env[key];
  return picked;
}
