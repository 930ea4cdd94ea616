// Jaeger's sampling strategies from a sampling endpoint, next to the SDK's own traceidratio and a
// rate limit. The jaeger_remote variants poll tracetax's embedded sampling server (Jaeger's /sampling,
// answered from the strategies files in scenarios/jaeger-sampling/); none needs a Jaeger.
import { defineScenario } from '../src/scenario/define.ts';

// Poll often and start at 0, so that every sampled trace was sampled by the remote strategy; the
// requests of the first half second of each process are unsampled.
const remote = { OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_TRACES_SAMPLER_ARG: 'pollingIntervalMs=500,initialSamplingRate=0' };
const keepUp = { OTEL_BSP_MAX_QUEUE_SIZE: 65536, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 2048, OTEL_BSP_SCHEDULE_DELAY: 200 };

export default defineScenario({
  name: 'jaeger-sampling',
  description:
    'Jaeger remote sampling (probabilistic, per-operation and rate-limiting strategies from the embedded sampling server) against traceidratio 0.1 and tracetax_ratelimiting 50/s',
  load: { connections: 16, durationSec: 5, warmupSec: 5 },
  trials: 3,
  // The jaeger_remote variants' strategies, unless a variant names its own file.
  sampling: { strategiesFile: 'jaeger-sampling/per-operation.json' },
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'traceidratio 0.1', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.1, ...keepUp } },
    { name: 'remote probabilistic 0.1', env: { ...remote, TRACETAX_SAMPLING_STRATEGIES: 'jaeger-sampling/probabilistic.json', ...keepUp } },
    { name: 'remote 0.1 per-op form', env: { ...remote, TRACETAX_SAMPLING_STRATEGIES: 'jaeger-sampling/probabilistic-per-operation.json', ...keepUp } },
    { name: 'remote per-operation', env: { ...remote, ...keepUp } },
    { name: 'remote ratelimiting 50/s', env: { ...remote, TRACETAX_SAMPLING_STRATEGIES: 'jaeger-sampling/ratelimiting.json', ...keepUp } },
    { name: 'ratelimiting 50/s', env: { OTEL_TRACES_SAMPLER: 'tracetax_ratelimiting', OTEL_TRACES_SAMPLER_ARG: 50, ...keepUp } },
  ],
});
