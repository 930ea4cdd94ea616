// The sampler seam: one entry per sampler, in the registry (registry.ts). An entry says how the sampler's
// OTEL_TRACES_SAMPLER_ARG is read, how the SDK sampler is built, and how it is described.
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { SamplerConfig } from '../../model/index.ts';

/** An SDK sampler; `stop` ends background work (jaeger_remote's polling) on shutdown. */
export type BuiltSampler = Sampler & { stop?: () => void };

export interface SamplerEntry<C extends SamplerConfig = SamplerConfig> {
  readonly name: C['name'];
  /** Reads OTEL_TRACES_SAMPLER_ARG (undefined when unset); a bad one throws TracingConfigError saying how to fix it. */
  fromArg(arg: string | undefined): C;
  /** `serviceName` is the service's own, for samplers that ask a backend for its strategy. */
  create(config: C, serviceName: string): BuiltSampler;
  /** Short and config-bearing, like the SDK samplers' toString(): `traceidratio(0.1)`. */
  describe(config: C): string;
  /** The share of traces it samples, where its config fixes one (the ratio samplers). */
  ratio?(config: C): number;
}
