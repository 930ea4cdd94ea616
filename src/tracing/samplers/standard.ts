// The specification's six samplers (OTEL_TRACES_SAMPLER), built from the SDK's own classes.
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { defaultSamplerRatio, TracingConfigError } from '../defaults.ts';
import type { SamplerEntry } from './entry.ts';
import type { SamplerConfig } from '../../model/index.ts';

type ConfigOf<N extends SamplerConfig['name']> = Extract<SamplerConfig, { name: N }>;

/** A sampler without settings: its ARG is ignored, as the SDK does. */
function plain<C extends SamplerConfig>(name: C['name'], build: () => Sampler): SamplerEntry<C> {
  return { name, fromArg: () => ({ name }) as C, create: build, describe: () => name };
}

/** OTEL_TRACES_SAMPLER_ARG of the ratio samplers: a probability in [0, 1], 1 when unset. */
function parseRatio(arg: string | undefined): number {
  const raw = arg?.trim();
  if (raw === undefined || raw === '') return defaultSamplerRatio;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG=${raw} is not a ratio in [0, 1]: use e.g. 0.1 for 10%`);
  }
  return value;
}

function byRatio<C extends Extract<SamplerConfig, { ratio: number }>>(name: C['name'], build: (ratio: number) => Sampler): SamplerEntry<C> {
  return {
    name,
    fromArg: (arg) => ({ name, ratio: parseRatio(arg) }) as C,
    create: (config) => build(config.ratio),
    describe: (config) => `${name}(${config.ratio})`,
    ratio: (config) => config.ratio,
  };
}

export const alwaysOn = plain<ConfigOf<'always_on'>>('always_on', () => new AlwaysOnSampler());
export const alwaysOff = plain<ConfigOf<'always_off'>>('always_off', () => new AlwaysOffSampler());
export const traceIdRatio = byRatio<ConfigOf<'traceidratio'>>('traceidratio', (ratio) => new TraceIdRatioBasedSampler(ratio));
export const parentBasedAlwaysOn = plain<ConfigOf<'parentbased_always_on'>>('parentbased_always_on', () => new ParentBasedSampler({ root: new AlwaysOnSampler() }));
export const parentBasedAlwaysOff = plain<ConfigOf<'parentbased_always_off'>>('parentbased_always_off', () => new ParentBasedSampler({ root: new AlwaysOffSampler() }));
export const parentBasedTraceIdRatio = byRatio<ConfigOf<'parentbased_traceidratio'>>(
  'parentbased_traceidratio',
  (ratio) => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
);
