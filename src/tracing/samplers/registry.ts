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

export const samplerNames = Object.keys(samplers) as SamplerName[];

function entryOf<C extends SamplerConfig>(config: C): SamplerEntry<C> {
  return samplers[config.name] as unknown as SamplerEntry<C>;
}

/** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG → the sampler's config. */
export function samplerFromEnv(name: string, arg: string | undefined): SamplerConfig {
  if (!(samplerNames as string[]).includes(name)) {
    throw new TracingConfigError(`OTEL_TRACES_SAMPLER=${name} is not a supported sampler: use one of ${samplerNames.join(', ')}`);
  }
  return samplers[name as SamplerName].fromArg(arg);
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
