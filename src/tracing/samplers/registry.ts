// Every sampler tracetax can run, by its OTEL_TRACES_SAMPLER name. Adding one: a file with its entry,
// its config in src/model/tracing.ts, and a line here.
import { TracingConfigError } from '../defaults.ts';
import type { BuiltSampler, SamplerEntry } from './entry.ts';
import { jaegerRemote } from './jaeger-remote.ts';
import { rateLimiting } from './rate-limiting.ts';
import { alwaysOff, alwaysOn, parentBasedAlwaysOff, parentBasedAlwaysOn, parentBasedTraceIdRatio, traceIdRatio } from './standard.ts';
import type { SamplerConfig, SamplerName } from '../../model/index.ts';

const samplers: { readonly [N in SamplerName]: SamplerEntry<Extract<SamplerConfig, { name: N }>> } = {
  always_on: alwaysOn,
  always_off: alwaysOff,
  traceidratio: traceIdRatio,
  parentbased_always_on: parentBasedAlwaysOn,
  parentbased_always_off: parentBasedAlwaysOff,
  parentbased_traceidratio: parentBasedTraceIdRatio,
  // Jaeger's remote sampler (@opentelemetry/sampler-jaeger-remote), polling a /sampling endpoint.
  jaeger_remote: jaegerRemote,
  // Not standard: Jaeger's rate-limiting sampler (at most N new traces per second), which the JS remote sampler lacks.
  tracetax_ratelimiting: rateLimiting,
};

const samplerNames = Object.values(samplers).map((entry) => entry.name);

function entryOf<C extends SamplerConfig>(config: C): SamplerEntry<C> {
  return samplers[config.name] as unknown as SamplerEntry<C>;
}

/** OTEL_TRACES_SAMPLER's value, checked against the registry. */
export function samplerName(raw: string): SamplerName {
  if (!(samplerNames as string[]).includes(raw)) {
    throw new TracingConfigError(`OTEL_TRACES_SAMPLER=${raw} is not a supported sampler: use one of ${samplerNames.join(', ')}`);
  }
  return raw as SamplerName;
}

/** The sampler's config from its OTEL_TRACES_SAMPLER_ARG. */
export function samplerFromArg(name: SamplerName, arg: string | undefined): SamplerConfig {
  return samplers[name].fromArg(arg);
}

export function createSampler(config: SamplerConfig, serviceName = 'unknown_service'): BuiltSampler {
  return entryOf(config).create(config, serviceName);
}

export function describeSampler(config: SamplerConfig): string {
  return entryOf(config).describe(config);
}

/** The sampling ratio where the sampler's config fixes one (traceidratio, parentbased_traceidratio); undefined otherwise. */
export function samplerRatio(config: SamplerConfig): number | undefined {
  return entryOf(config).ratio?.(config);
}
