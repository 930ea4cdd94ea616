// The thin outer layer: the standard OTEL_* variables → TracingConfig. A variant reads exactly like the
// settings a user puts on a real service, and the service process gets them as its environment.
import {
  defaultExportTimeoutMillis,
  defaultJaegerInitialSamplingRate,
  defaultJaegerPollingIntervalMs,
  defaultJaegerSamplingEndpoint,
  defaultMaxExportBatchSize,
  defaultMaxQueueSize,
  defaultOtlpEndpoint,
  defaultSampler,
  defaultSamplerRatio,
  defaultScheduledDelayMillis,
  samplerNames,
  usesRatio,
  type JaegerRemoteConfig,
  type ProcessorConfig,
  type SamplerConfig,
  type SamplerName,
  type TracingConfig,
} from './config.ts';

/** Settings that are wrong, with a message that says how to fix them. */
export class TracingConfigError extends Error {}

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
  // Not standard: the SDK has no variable for the processor kind.
  'TRACETAX_SPAN_PROCESSOR',
  // Not standard: a planted regression (CPU µs per ended span) to prove the regression gate works.
  'TRACETAX_PLANTED_SPAN_WORK_US',
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

function samplerRatio(env: TracingEnv): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (raw === undefined || raw === '') return defaultSamplerRatio;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG=${raw} is not a ratio in [0, 1]: use e.g. 0.1 for 10%`);
  }
  return value;
}

function endpoint(env: TracingEnv): string {
  const key = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const raw = env[key]?.trim() || defaultOtlpEndpoint;
  return parseOtlpEndpoint(raw, key);
}

const jaegerRemoteExample = 'endpoint=http://localhost:5778/sampling,pollingIntervalMs=5000,initialSamplingRate=0.25';

/**
 * jaeger_remote's OTEL_TRACES_SAMPLER_ARG, in the specification's form: comma-separated key=value pairs
 * of endpoint, pollingIntervalMs and initialSamplingRate, each optional. Returns only what is given.
 */
export function parseJaegerRemoteArg(raw: string | undefined): Partial<JaegerRemoteConfig> {
  const out: { endpoint?: string; pollingIntervalMs?: number; initialSamplingRate?: number } = {};
  const text = raw?.trim() ?? '';
  if (text === '') return out;
  for (const entry of text.split(',')) {
    const at = entry.indexOf('=');
    const key = at < 0 ? '' : entry.slice(0, at).trim();
    const value = at < 0 ? '' : entry.slice(at + 1).trim();
    if (at < 0 || key === '' || value === '') {
      throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG entry '${entry.trim()}' is not key=value: use e.g. ${jaegerRemoteExample}`);
    }
    if (key in out) throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG names ${key} twice: give each setting once`);
    if (key === 'endpoint') {
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {}
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
        throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG endpoint '${value}' is not an http(s) URL: use e.g. http://localhost:5778/sampling`);
      }
      out.endpoint = value.replace(/\/+$/, '');
    } else if (key === 'pollingIntervalMs') {
      const ms = Number(value);
      if (!Number.isInteger(ms) || ms <= 0) throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG pollingIntervalMs=${value} is not a positive whole number of ms: use e.g. 5000`);
      out.pollingIntervalMs = ms;
    } else if (key === 'initialSamplingRate') {
      const rate = Number(value);
      if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
        throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG initialSamplingRate=${value} is not a ratio in [0, 1]: use e.g. 0.25`);
      }
      out.initialSamplingRate = rate;
    } else {
      throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG key '${key}' is not a jaeger_remote setting: use endpoint, pollingIntervalMs or initialSamplingRate`);
    }
  }
  return out;
}

/** tracetax_ratelimiting's OTEL_TRACES_SAMPLER_ARG: the most new traces per second (Jaeger's maxTracesPerSecond). */
function tracesPerSecond(env: TracingEnv): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(value) || value <= 0) {
    throw new TracingConfigError(
      `OTEL_TRACES_SAMPLER_ARG=${raw ?? ''} is not traces per second for tracetax_ratelimiting: give a positive number, e.g. 50`,
    );
  }
  return value;
}

/** The sampler's settings beyond its name and ratio. */
function samplerExtras(name: SamplerName, env: TracingEnv): Partial<SamplerConfig> {
  if (name === 'tracetax_ratelimiting') return { tracesPerSecond: tracesPerSecond(env) };
  if (name !== 'jaeger_remote') return {};
  const given = parseJaegerRemoteArg(env.OTEL_TRACES_SAMPLER_ARG);
  return {
    jaegerRemote: {
      endpoint: given.endpoint ?? defaultJaegerSamplingEndpoint,
      pollingIntervalMs: given.pollingIntervalMs ?? defaultJaegerPollingIntervalMs,
      initialSamplingRate: given.initialSamplingRate ?? defaultJaegerInitialSamplingRate,
    },
  };
}

/** Checks an OTLP/gRPC endpoint: an http(s) URL with a host, e.g. http://localhost:4317. */
export function parseOtlpEndpoint(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TracingConfigError(`${what} '${raw}' is not a URL: use e.g. http://localhost:4317`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new TracingConfigError(`${what} '${raw}' is not an http(s) URL with a host: use e.g. http://localhost:4317`);
  }
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
  const samplerName = (env.OTEL_TRACES_SAMPLER?.trim() || defaultSampler) as SamplerName;
  if (!samplerNames.includes(samplerName)) {
    throw new TracingConfigError(
      `OTEL_TRACES_SAMPLER=${samplerName} is not a supported sampler: use one of ${samplerNames.join(', ')}`,
    );
  }
  const ratio = usesRatio(samplerName) ? samplerRatio(env) : defaultSamplerRatio;
  const exporterName = env.OTEL_TRACES_EXPORTER?.trim() || 'otlp';
  if (exporterName !== 'otlp' && exporterName !== 'none') {
    throw new TracingConfigError(`OTEL_TRACES_EXPORTER=${exporterName} is not supported: use otlp (gRPC) or none`);
  }
  return {
    kind: 'sdk',
    sampler: { name: samplerName, ratio, ...samplerExtras(samplerName, env) },
    processor: processor(env),
    exporter: exporterName === 'none' ? { kind: 'none' } : { kind: 'otlp-grpc', endpoint: endpoint(env) },
    plantedSpanWorkUs: nonNegativeNumber(env, 'TRACETAX_PLANTED_SPAN_WORK_US'),
  };
}

/** Only the tracing variables of an environment (so a user's shell settings reach `serve`, nothing else). */
export function pickTracingEnv(env: TracingEnv): TracingEnv {
  const picked: TracingEnv = {};
  for (const key of tracingEnvKeys) if (env[key] !== undefined) picked[key] = env[key];
  return picked;
}
